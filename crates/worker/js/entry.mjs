// The Worker's entry: the WorkerEntrypoint around the Rust Worker's exports (index.js, the
// wasm-bindgen glue of index_bg.wasm), with a guard for what Rust cannot contain on wasm32,
// where a panic aborts instead of unwinding.
//
// Each request gets a slot number, passed to the wasm's `fetch`. The Rust side marks the slot
// while it applies a webhook update, and its panic hook calls __miti99botPanicked(slot) just
// before the abort (crates/worker/src/panic_slot.rs). That request is then answered 200, as
// natively: the handler may have applied part of the update, and a redelivery could apply it
// twice. The same hook asks the glue for a fresh instance, which the next call gets (the
// aborted one is poisoned). Any other failure of the Rust Worker is a 500.
import { WorkerEntrypoint } from "cloudflare:workers";
import { fetch as rustFetch, scheduled as rustScheduled } from "./index.js";

const panicked = new Map();
let nextSlot = 1;
globalThis.__miti99botPanicked = (slot) => panicked.get(slot)?.();

function log(msg, fields) {
  console.error(JSON.stringify({ level: "ERROR", msg, ...fields }));
}

export default class extends WorkerEntrypoint {
  async fetch(request) {
    const slot = nextSlot++;
    const onPanic = new Promise((resolve) => panicked.set(slot, resolve)).then(() => {
      log("a handler panicked; update acknowledged, not retried", { slot });
      return new Response(null, { status: 200 });
    });
    try {
      return await Promise.race([rustFetch(request, this.env, slot), onPanic]);
    } catch (error) {
      log("the Worker failed", { error: String(error) });
      return new Response("internal error", { status: 500, headers: { "content-type": "text/plain; charset=utf-8" } });
    } finally {
      panicked.delete(slot);
    }
  }

  async scheduled(event) {
    return rustScheduled(event.cron, event.scheduledTime, this.env);
  }
}
