// The Worker's entry: the Rust Worker (index.js, from worker-build) behind a guard for what
// Rust cannot contain on wasm32, where a panic aborts instead of unwinding.
//
// Each webhook request gets a slot number (header x-miti99bot-slot, replacing any a client
// sent). The Rust side marks the slot while it applies the update, and its panic hook calls
// __miti99botPanicked(slot) just before the abort (crates/worker/src/panic_slot.rs). That
// request is then answered 200, as natively: the handler may have applied part of the update,
// and a redelivery could apply it twice. worker-build's glue re-instantiates the module for
// the next request. Any other failure of the Rust Worker stays a 500.
import { WorkerEntrypoint } from "cloudflare:workers";
import RustWorker from "./index.js";

const SLOT_HEADER = "x-miti99bot-slot";
const panicked = new Map();
let nextSlot = 1;
globalThis.__miti99botPanicked = (slot) => panicked.get(slot)?.();

function log(msg, fields) {
  console.error(JSON.stringify({ level: "ERROR", msg, ...fields }));
}

export default class extends WorkerEntrypoint {
  async fetch(request) {
    const worker = new RustWorker(this.ctx, this.env);
    const webhook = request.method === "POST" && new URL(request.url).pathname === "/webhook";
    if (!webhook) return worker.fetch(request);
    const slot = nextSlot++;
    const headers = new Headers(request.headers);
    headers.set(SLOT_HEADER, String(slot));
    const onPanic = new Promise((resolve) => panicked.set(slot, resolve)).then(() => {
      log("a handler panicked; update acknowledged, not retried", { slot });
      return new Response(null, { status: 200 });
    });
    try {
      return await Promise.race([worker.fetch(new Request(request, { headers })), onPanic]);
    } catch (error) {
      log("the Worker failed", { error: String(error) });
      return new Response("internal error", { status: 500, headers: { "content-type": "text/plain; charset=utf-8" } });
    } finally {
      panicked.delete(slot);
    }
  }

  async scheduled(event) {
    return new RustWorker(this.ctx, this.env).scheduled(event);
  }
}
