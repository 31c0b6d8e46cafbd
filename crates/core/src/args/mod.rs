//! Typed command arguments: a command says what it takes, the framework parses it, and a wrong
//! argument answers with the command's usage text.
//!
//! ```
//! use miti99bot_core::args::{parse_args, ArgError, Rest};
//!
//! // `/give <qty> <item> [note...]`
//! let (qty, item, Rest(note)): (u32, String, Rest) = parse_args("3 apples for  later").unwrap();
//! assert_eq!((qty, item.as_str(), note.as_str()), (3, "apples", "for  later"));
//!
//! // An optional trailing argument.
//! let (n, days): (i64, Option<i64>) = parse_args("5").unwrap();
//! assert_eq!((n, days), (5, None));
//!
//! // Arity is checked before values: a missing argument wins over a bad one.
//! assert_eq!(parse_args::<(u32, String)>("abc"), Err(ArgError::Missing));
//! assert!(matches!(parse_args::<(u32, String)>("abc pears"), Err(ArgError::Invalid { .. })));
//! assert!(matches!(parse_args::<u32>("1 2"), Err(ArgError::Extra { .. })));
//! ```
//!
//! In a handler, [`CommandCtx::parse_args`](crate::CommandCtx::parse_args) parses the command's
//! arguments and turns an [`ArgError`] into the reply: the type's own text for
//! [`ArgError::Refused`], else the usage declared with
//! [`Command::usage`](crate::Command::usage). A word that is not one of a type is
//! [`FromArg`]; implement it for your own types (a ticker, an amount with its limits).

mod arg_error;
mod ctx_args;
mod echo;
mod from_arg;
mod from_args;
mod words;

pub use arg_error::ArgError;
pub use echo::{echo, ECHO_MAX_CHARS};
pub use from_arg::FromArg;
pub use from_args::{FromArgs, Rest};
pub use words::Words;

/// Parses all of `args` as a `T`: every word must be taken ([`ArgError::Extra`] otherwise).
pub fn parse_args<T: FromArgs>(args: &str) -> Result<T, ArgError> {
    let mut words = Words::new(args);
    let value = T::from_args(&mut words)?;
    match words.next() {
        None => Ok(value),
        Some(extra) => Err(ArgError::Extra { word: extra.to_owned() }),
    }
}
