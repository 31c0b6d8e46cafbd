//! The Worker's module catalog: the modules crate's, with an HTTP client for trading.

use miti99bot_core::module::ModuleConstructor;
use miti99bot_core::Catalog;
use miti99bot_modules::trading;

use crate::fetch_http::FetchHttp;

/// Every module of [`miti99bot_modules::catalog`], in its order; `trading` fetches API prices
/// through [`FetchHttp`].
pub fn worker_catalog() -> Catalog {
    let base = miti99bot_modules::catalog();
    base.names().into_iter().fold(Catalog::new(), |catalog, name| {
        let constructor: Option<ModuleConstructor> = if name == trading::NAME {
            Some(trading::module_with_http::<FetchHttp>)
        } else {
            base.get(name)
        };
        match constructor {
            Some(constructor) => catalog.with(name, constructor),
            None => catalog,
        }
    })
}
