import { z } from "zod";

// Parsed once at start-up; a bad value stops the process with a message naming it.
const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must be a postgres:// URL")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  PGLITE_DIR: z.string().default("./data/pglite"),
  // The embedded database's shared buffers, zeroed at each start (the tests' small databases: 16MB).
  PGLITE_SHARED_BUFFERS: z
    .string()
    .regex(/^[1-9]\d{0,5}(kB|MB|GB)$/, "应为 PostgreSQL 的大小，如 128MB")
    .default("128MB"),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  DEMO_PASSWORD: z.string().min(8).default("kunming2026"),
  SEED_DEMO: z.enum(["true", "false"]).default("true"),
  // With SEED_DEMO: also run ~40 demo projects through the insurance review on first start.
  SEED_DEMO_PROJECTS: z.enum(["true", "false"]).default("true"),
  ATTACHMENTS_DIR: z.string().default("./data/attachments"),
  ATTACHMENT_MAX_MB: z.coerce.number().min(1).max(200).default(20),
  // Secure cookies: on by default in production; "false" for plain-http deployments behind nothing.
  COOKIE_SECURE: z.enum(["true", "false"]).optional(),
  // Number of proxy hops to trust for the client address (X-Forwarded-For).
  TRUST_PROXY: z.coerce.number().int().min(0).default(0),
  // Staff sessions end after this many minutes without a request, and this many hours after sign-in.
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(1440).default(30),
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(720).default(12),
  // A request (headers and body) must have arrived within this; a slower one is answered 408 and cut.
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(500).max(600_000).default(30_000),
  // How often the underwriting summary is built for the regulator (ISO 8601 duration).
  UNDERWRITING_REPORT_INTERVAL: z
    .string()
    .regex(/^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/, "应为 ISO 8601 时长，如 P1M")
    .default("P1M"),
  // How often each app process looks for due workflow timers.
  SCHEDULER_INTERVAL_MS: z.coerce.number().int().min(100).default(5000),
  // The platform's service line for owners (统一服务电话), shown wherever owners look.
  HOTLINE_PHONE: z.string().trim().min(3).max(30).default("0871-12345"),
  // The owners' Telegram bot: off without a token; long polling unless TELEGRAM_WEBHOOK_SECRET is set
  // (then Telegram posts to /bots/telegram with that secret token); TELEGRAM_API_ROOT for a
  // self-hosted Bot API server or a relay.
  TELEGRAM_BOT_TOKEN: z.string().trim().optional(),
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,256}$/, "只能含字母、数字、_ 和 -")
    .optional(),
  TELEGRAM_API_ROOT: z.string().url().optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

export function env(): Env {
  if (!cached) {
    const parsed = schema.safeParse(process.env);
    if (!parsed.success) {
      const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
      throw new Error(`Invalid environment:\n${lines.join("\n")}`);
    }
    cached = parsed.data;
  }
  return cached;
}

export function cookieSecure(): boolean {
  const e = env();
  return e.COOKIE_SECURE ? e.COOKIE_SECURE === "true" : e.NODE_ENV === "production";
}
