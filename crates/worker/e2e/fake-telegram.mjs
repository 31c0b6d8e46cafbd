// A fake Telegram Bot API on 127.0.0.1 for the Worker's end-to-end tests: records every call.
//
// Chat ids with special meaning: 400 answers "chat not found", 429 answers "Too Many Requests"
// with retry_after 30 (the Worker must give up at once, not sleep).
import http from "node:http";

export const BOT_USERNAME = "miti99_test_bot";

export async function startFakeTelegram() {
  const calls = [];
  let nextMessageId = 1;
  const server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(req.url ?? "");
      let payload = {};
      try {
        payload = body ? JSON.parse(body) : {};
      } catch {
        payload = { unparsed: body };
      }
      const call = { token: match?.[1], method: match?.[2], payload };
      calls.push(call);
      const send = (status, json) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(json));
      };
      if (!match) return send(404, { ok: false, error_code: 404, description: "Not Found" });
      if (call.method === "getMe") {
        return send(200, { ok: true, result: { id: 1, is_bot: true, first_name: "Test", username: BOT_USERNAME } });
      }
      if (call.method === "sendMessage") {
        if (payload.chat_id === 400) {
          return send(400, { ok: false, error_code: 400, description: "Bad Request: chat not found" });
        }
        if (payload.chat_id === 429) {
          return send(429, {
            ok: false,
            error_code: 429,
            description: "Too Many Requests: retry after 30",
            parameters: { retry_after: 30 },
          });
        }
        return send(200, {
          ok: true,
          result: {
            message_id: nextMessageId++,
            chat: { id: payload.chat_id, type: "private" },
            date: Math.floor(Date.now() / 1000),
            text: payload.text,
          },
        });
      }
      if (call.method === "editMessageText" && payload.chat_id !== undefined) {
        return send(200, {
          ok: true,
          result: {
            message_id: payload.message_id,
            chat: { id: payload.chat_id, type: "private" },
            date: Math.floor(Date.now() / 1000),
            edit_date: Math.floor(Date.now() / 1000),
            text: payload.text,
            ...(payload.reply_markup ? { reply_markup: payload.reply_markup } : {}),
          },
        });
      }
      return send(200, { ok: true, result: true });
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    sent: () => calls.filter((c) => c.method === "sendMessage"),
    of: (method) => calls.filter((c) => c.method === method),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
