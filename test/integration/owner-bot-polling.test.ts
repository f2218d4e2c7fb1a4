import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useCluster } from "../support/platform";

// The platform started with a bot token long-polls the Bot API at TELEGRAM_API_ROOT (a relay or a
// self-hosted server; here a fake one in the test) and answers owners there. The fake keeps an
// update until a later getUpdates confirms it (offset past its id), as Telegram does.

const TOKEN = "424242:POLLING-TEST";
let queue: { update_id: number }[] = [];
const calls: { method: string; payload: Record<string, any> }[] = [];
/** Called when a message goes to a chat (the crash test kills the process there). */
let onSend: (chatId: number) => void = () => {};
/** While true, getUpdates gets no answer and confirms nothing: the process is being killed. */
let frozen = false;
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
        if (frozen) return;
        queue = queue.filter((u) => u.update_id >= (payload.offset ?? 0));
        // A short long poll: whatever is queued, else nothing after a moment.
        if (!queue.length) await new Promise((resolve) => setTimeout(resolve, 300));
        return answer(frozen ? [] : queue);
      }
      if (method === "sendMessage") {
        answer({ message_id: calls.length, date: 0, chat: { id: payload.chat_id, type: "private" }, text: payload.text });
        return onSend(payload.chat_id);
      }
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

const textUpdate = (updateId: number, chatId: number, text: string) => ({
  update_id: updateId,
  message: {
    message_id: updateId,
    date: 0,
    chat: { id: chatId, type: "private", first_name: "业主" },
    from: { id: chatId, is_bot: false, first_name: "业主" },
    text,
    ...(text.startsWith("/") ? { entities: [{ type: "bot_command", offset: 0, length: text.length }] } : {}),
  },
});
const sentTo = (chatId: number) => calls.filter((c) => c.method === "sendMessage" && c.payload.chat_id === chatId);

describe("owner bot by long polling", () => {
  it("greets an owner's /start through the configured API root", async () => {
    expect(cluster().url).toMatch(/^http/);
    queue.push(textUpdate(1, 777, "/start"));
    await expect.poll(() => sentTo(777)[0]?.payload.text).toContain("服务热线");
    expect(calls.some((c) => c.method === "getUpdates")).toBe(true);
  });

  it("does not answer again an update answered just before a crash (kill -9) that came before its offset was confirmed", async () => {
    // "你好" is answered with two messages (the help, then the menu); the process dies right after the second.
    const crashed = new Promise<void>((resolve) => {
      onSend = (chatId) => {
        if (chatId !== 888 || sentTo(888).length < 2) return;
        onSend = () => {};
        frozen = true;
        void cluster().processes[0].kill("SIGKILL").then(resolve);
      };
    });
    queue.push(textUpdate(2, 888, "你好"));
    await crashed;
    expect(sentTo(888)).toHaveLength(2);
    frozen = false;
    await cluster().processes[0].start();
    // Telegram sends update 2 again, then a new one of another chat: once that is answered, 2 was handled.
    queue.push(textUpdate(3, 999, "你好"));
    await expect.poll(() => sentTo(999).length).toBe(2);
    expect(sentTo(888)).toHaveLength(2);
  });
});
