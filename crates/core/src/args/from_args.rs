use super::arg_error::ArgError;
use super::from_arg::FromArg;
use super::words::Words;

/// What a command takes, parsed from its words: any [`FromArg`] (one word), `Option<T>` (an
/// optional word), [`Rest`] (the rest of the line; `Option<Rest>` when optional), `()` (nothing) and tuples of these up to
/// six.
///
/// A tuple reads its parts in order. When one is missing the error is
/// [`ArgError::Missing`] even if an earlier word was bad, so too few arguments always answer
/// with the usage; otherwise the first bad word's error.
pub trait FromArgs: Sized {
    /// Takes what it needs from `words`.
    fn from_args(words: &mut Words<'_>) -> Result<Self, ArgError>;
}

/// The rest of the line, as written (inner spacing kept), trimmed: at least one word
/// ([`ArgError::Missing`] otherwise); `Option<Rest>` when it may be empty.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Rest(pub String);

impl FromArgs for Rest {
    fn from_args(words: &mut Words<'_>) -> Result<Self, ArgError> {
        match words.rest() {
            "" => Err(ArgError::Missing),
            rest => Ok(Self(rest.to_owned())),
        }
    }
}

impl FromArgs for Option<Rest> {
    fn from_args(words: &mut Words<'_>) -> Result<Self, ArgError> {
        Ok(Some(words.rest()).filter(|r| !r.is_empty()).map(|r| Rest(r.to_owned())))
    }
}

impl<T: FromArg> FromArgs for T {
    fn from_args(words: &mut Words<'_>) -> Result<Self, ArgError> {
        let word = words.next().ok_or(ArgError::Missing)?;
        T::from_arg(word)
    }
}

impl<T: FromArg> FromArgs for Option<T> {
    fn from_args(words: &mut Words<'_>) -> Result<Self, ArgError> {
        words.next().map(T::from_arg).transpose()
    }
}

impl FromArgs for () {
    fn from_args(_: &mut Words<'_>) -> Result<Self, ArgError> {
        Ok(())
    }
}

/// The first error of a tuple's parts, a missing part first.
fn first_error<const N: usize>(errors: [Option<ArgError>; N]) -> ArgError {
    let mut first = None;
    for error in errors.into_iter().flatten() {
        if error == ArgError::Missing {
            return error;
        }
        first.get_or_insert(error);
    }
    first.unwrap_or(ArgError::Missing)
}

macro_rules! tuple_args {
    ($($name:ident),+) => {
        impl<$($name: FromArgs),+> FromArgs for ($($name,)+) {
            #[allow(non_snake_case)]
            fn from_args(words: &mut Words<'_>) -> Result<Self, ArgError> {
                $(let $name = $name::from_args(words);)+
                match ($($name,)+) {
                    ($(Ok($name),)+) => Ok(($($name,)+)),
                    ($($name,)+) => Err(first_error([$($name.err()),+])),
                }
            }
        }
    };
}

tuple_args!(A);
tuple_args!(A, B);
tuple_args!(A, B, C);
tuple_args!(A, B, C, D);
tuple_args!(A, B, C, D, E);
tuple_args!(A, B, C, D, E, F);

#[cfg(test)]
mod tests {
    use super::super::parse_args;
    use super::*;

    #[test]
    fn tuples_options_and_the_rest() {
        assert_eq!(parse_args::<(i64, String)>("5 vnm"), Ok((5, "vnm".to_owned())));
        assert_eq!(parse_args::<(i64, Option<i64>)>("5 7"), Ok((5, Some(7))));
        assert_eq!(parse_args::<Option<i64>>(""), Ok(None));
        assert!(parse_args::<Option<i64>>("x").is_err());
        assert_eq!(parse_args::<(i64, Rest)>("1"), Err(ArgError::Missing));
        assert_eq!(parse_args::<(i64, Option<Rest>)>("1 "), Ok((1, None)));
        assert_eq!(
            parse_args::<(i64, Option<Rest>)>("1 a  b"),
            Ok((1, Some(Rest("a  b".to_owned()))))
        );
        assert_eq!(parse_args::<()>(""), Ok(()));
        assert_eq!(parse_args::<()>("x"), Err(ArgError::Extra { word: "x".to_owned() }));
    }

    #[test]
    fn a_missing_part_wins_over_a_bad_one() {
        assert_eq!(parse_args::<(i64, String)>(""), Err(ArgError::Missing));
        assert_eq!(parse_args::<(i64, String)>("x"), Err(ArgError::Missing));
        assert_eq!(
            parse_args::<(i64, i64)>("x y"),
            Err(ArgError::invalid("x", "a whole number (i64)"))
        );
    }
}
