// Test-only entry (never deployed): the built Worker's entry.mjs with `env.DB` wrapped so that
// every D1 round trip the Worker makes is counted. `GET /__count/d1` answers the counts. The
// harness copies this file next to entry.mjs when a test asks for `countD1`. The wrapper
// forwards exactly the calls the Rust D1 adapter makes (crates/worker/src/d1_sys.rs:
// prepare, bind, run, raw, batch).
import Entry from "./entry.mjs";

const counts = { batches: 0, batchStatements: 0, runs: 0, raws: 0 };

class CountingStatement {
  constructor(inner) {
    this.inner = inner;
  }
  bind(...values) {
    return new CountingStatement(this.inner.bind(...values));
  }
  run() {
    counts.runs++;
    return this.inner.run();
  }
  raw(options) {
    counts.raws++;
    return this.inner.raw(options);
  }
}

class CountingD1 {
  constructor(inner) {
    this.inner = inner;
  }
  prepare(sql) {
    return new CountingStatement(this.inner.prepare(sql));
  }
  batch(statements) {
    counts.batches++;
    counts.batchStatements += statements.length;
    return this.inner.batch(statements.map((s) => s.inner));
  }
}

export default class extends Entry {
  constructor(ctx, env) {
    super(ctx, env.DB ? { ...env, DB: new CountingD1(env.DB) } : env);
  }
  async fetch(request) {
    if (new URL(request.url).pathname === "/__count/d1") return Response.json(counts);
    return super.fetch(request);
  }
}
