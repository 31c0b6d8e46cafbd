//! The few D1 JavaScript methods the adapter calls, bound directly (workers-rs's wrapper
//! unwraps internally and has no `raw({ columnNames: true })`).

use js_sys::{Array, Promise};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// A D1 database binding (`env.DB`).
    #[wasm_bindgen(extends = js_sys::Object)]
    #[derive(Debug, Clone)]
    pub type D1Binding;

    /// `db.prepare(sql)`.
    #[wasm_bindgen(method, catch)]
    pub fn prepare(this: &D1Binding, sql: &str) -> Result<D1Statement, JsValue>;

    /// `db.batch(statements)`: one transaction.
    #[wasm_bindgen(method, catch)]
    pub fn batch(this: &D1Binding, statements: &Array) -> Result<Promise, JsValue>;

    /// A prepared D1 statement.
    #[wasm_bindgen(extends = js_sys::Object)]
    #[derive(Debug, Clone)]
    pub type D1Statement;

    /// `stmt.bind(...values)`.
    #[wasm_bindgen(method, catch, variadic)]
    pub fn bind(this: &D1Statement, values: &Array) -> Result<D1Statement, JsValue>;

    /// `stmt.run()`: resolves to `{ success, meta }`.
    #[wasm_bindgen(method, catch)]
    pub fn run(this: &D1Statement) -> Result<Promise, JsValue>;

    /// `stmt.raw(options)`: resolves to rows as arrays (column names first when asked).
    #[wasm_bindgen(method, catch)]
    pub fn raw(this: &D1Statement, options: &JsValue) -> Result<Promise, JsValue>;
}
