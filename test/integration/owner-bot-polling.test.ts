import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useCluster } from "../support/platform";

// The platform started with a bot token long-polls the Bot API at TELEGRAM_API_ROOT (a relay or a
// self-hosted server; here a fake one in the test) and answers owners there.

const TOKEN = "424242:POLLING-TEST";
const updates: unknown[] = [];
const calls: { method: string; payload: Record<string, any> }[] = [];
let server: Server;
const env: Record<string, string> = { TELEGRAM_BOT_TOKEN: TOKEN };

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", async () => {
      const method = (req.url ?? "").split("/").at(-1)!;
      const payload = body ? JSON.parse(body) : {};
      calls.push({ method, payload });
      const answer = (result: unknown) => res.setHeader("Content-Type", "application/json").end(JSON.stringify({ ok: true, result }));
      if (method === "getMe") return answer({ id: 424242, is_bot: true, first_name: "昆明IDI业主服务", username: "km_idi_bot" });
      if (method === "getUpdates") {
        // A short long poll: whatever is queued, else nothing after a moment.
        if (!updates.length) await new Promise((resolve) => setTimeout(resolve, 300));
        return answer(updates.splice(0).filter((u: any) => u.update_id >= (payload.offset ?? 0)));
      }
      if (method === "sendMessage")
        return answer({ message_id: calls.length, date: 0, chat: { id: payload.chat_id, type: "private" }, text: payload.text });
      return answer(true);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  env.TELEGRAM_API_ROOT = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
// Hooks run in order and after-hooks in reverse: the cluster starts once the fake's address is in
// `env`, and stops before the fake does.
afterAll(() => {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(resolve));
});
const cluster = useCluster({ env });

describe("owner bot by long polling", () => {
  it("greets an owner's /start through the configured API root", async () => {
    expect(cluster().url).toMatch(/^http/);
    updates.push({
      update_id: 1,
      message: {
        message_id: 1,
        date: 0,
        chat: { id: 777, type: "private", first_name: "业主" },
        from: { id: 777, is_bot: false, first_name: "业主" },
        text: "/start",
        entities: [{ type: "bot_command", offset: 0, length: 6 }],
      },
    });
    await expect.poll(() => calls.find((c) => c.method === "sendMessage" && c.payload.chat_id === 777)?.payload.text).toContain("服务热线");
    expect(calls.some((c) => c.method === "getUpdates")).toBe(true);
  });
});
