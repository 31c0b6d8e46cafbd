// The Worker's entry: the Rust Worker (index.js, from worker-build) behind a guard that
// contains what Rust cannot on wasm32, where a panic aborts instead of unwinding.
//
// A panicking handler rejects the Rust `fetch` with a WebAssembly error (worker-build's
// glue then re-instantiates the module for the next request). For `POST /webhook` that is
// answered 200, as natively: the handler may have applied part of the update, and a
// redelivery could apply it twice. Anything else keeps the 500.
import { WorkerEntrypoint } from "cloudflare:workers";
import RustWorker from "./index.js";

export default class extends WorkerEntrypoint {
  async fetch(request) {
    const webhook = request.method === "POST" && new URL(request.url).pathname === "/webhook";
    try {
      return await new RustWorker(this.ctx, this.env).fetch(request);
    } catch (error) {
      console.error(JSON.stringify({ level: "ERROR", msg: "the Worker failed (a handler panicked?)", webhook, error: String(error) }));
      if (webhook) return new Response(null, { status: 200 });
      return new Response("internal error", { status: 500, headers: { "content-type": "text/plain; charset=utf-8" } });
    }
  }

  async scheduled(event) {
    try {
      return await new RustWorker(this.ctx, this.env).scheduled(event);
    } catch (error) {
      console.error(JSON.stringify({ level: "ERROR", msg: "a cron run failed (a handler panicked?)", error: String(error) }));
    }
  }
}
