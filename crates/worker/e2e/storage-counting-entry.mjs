// Test-only entry (never deployed): the built Worker's entry.mjs with `env.DB` and `env.KV`
// wrapped so that every storage round trip the Worker makes is counted. `GET /__count/d1` and
// `GET /__count/kv` answer the counts. The harness copies this file next to entry.mjs when a
// test asks for `countStorage`. The wrappers forward exactly the calls the Rust adapters make
// (crates/worker/src/d1_sys.rs: prepare, bind, run, raw, batch; kv_sys.rs: get, put, delete,
// list).
import Entry from "./entry.mjs";

const counts = { batches: 0, batchStatements: 0, runs: 0, raws: 0 };
const kvCounts = { gets: 0, puts: 0, deletes: 0, lists: 0 };

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

class CountingKv {
  constructor(inner) {
    this.inner = inner;
  }
  get(key, kind) {
    kvCounts.gets++;
    return this.inner.get(key, kind);
  }
  put(key, value, options) {
    kvCounts.puts++;
    return this.inner.put(key, value, options);
  }
  delete(key) {
    kvCounts.deletes++;
    return this.inner.delete(key);
  }
  list(options) {
    kvCounts.lists++;
    return this.inner.list(options);
  }
}

export default class extends Entry {
  constructor(ctx, env) {
    const wrapped = { ...env };
    if (env.DB) wrapped.DB = new CountingD1(env.DB);
    if (env.KV) wrapped.KV = new CountingKv(env.KV);
    super(ctx, wrapped);
  }
  async fetch(request) {
    const path = new URL(request.url).pathname;
    if (path === "/__count/d1") return Response.json(counts);
    if (path === "/__count/kv") return Response.json(kvCounts);
    return super.fetch(request);
  }
}
