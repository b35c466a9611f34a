//! Free text that must be present and of a sane length.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum TextError {
    #[error("the field is empty")]
    Empty,
    #[error("the text is longer than {max} characters")]
    TooLong { max: usize },
}

/// A trimmed, non-empty text of at most `MAX` characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text<const MAX: usize>(String);

impl<const MAX: usize> Text<MAX> {
    pub fn parse(raw: &str) -> Result<Self, TextError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(TextError::Empty);
        }
        if trimmed.chars().count() > MAX {
            return Err(TextError::TooLong { max: MAX });
        }
        Ok(Self(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A name of a person or a thing shown in lists.
pub type Name = Text<120>;
/// A login name.
pub type Username = Text<60>;

/// Passwords: long enough to resist guessing, short enough not to be a hashing DoS.
pub fn check_password(password: &str) -> Result<(), PasswordError> {
    let n = password.chars().count();
    if n < PASSWORD_MIN {
        Err(PasswordError::TooShort { min: PASSWORD_MIN })
    } else if n > PASSWORD_MAX {
        Err(PasswordError::TooLong { max: PASSWORD_MAX })
    } else {
        Ok(())
    }
}

pub const PASSWORD_MIN: usize = 10;
pub const PASSWORD_MAX: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("the password is shorter than {min} characters")]
    TooShort { min: usize },
    #[error("the password is longer than {max} characters")]
    TooLong { max: usize },
}

/// Usernames are lower-case letters, digits, dot, dash and underscore.
pub fn check_username(raw: &str) -> Result<Username, UsernameError> {
    let name = Username::parse(&raw.to_lowercase()).map_err(UsernameError::Text)?;
    let allowed =
        |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_');
    if name.as_str().chars().all(allowed) {
        Ok(name)
    } else {
        Err(UsernameError::Characters)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UsernameError {
    #[error(transparent)]
    Text(TextError),
    #[error("only a-z, 0-9, '.', '-' and '_' may be used")]
    Characters,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_blank_text_is_refused() {
        assert_eq!(Name::parse(""), Err(TextError::Empty));
        assert_eq!(Name::parse("   \n"), Err(TextError::Empty));
    }

    #[test]
    fn text_is_trimmed_and_limited() {
        assert_eq!(
            Name::parse("  Anna  ").map(Text::into_inner),
            Ok("Anna".to_owned())
        );
        let long = "å".repeat(121);
        assert_eq!(Name::parse(&long), Err(TextError::TooLong { max: 120 }));
        assert!(Name::parse(&"å".repeat(120)).is_ok());
    }

    #[test]
    fn usernames_are_plain_ascii() {
        assert_eq!(
            check_username(" Anna.B ").map(Text::into_inner),
            Ok("anna.b".to_owned())
        );
        assert_eq!(check_username("åsa"), Err(UsernameError::Characters));
        assert_eq!(check_username("a b"), Err(UsernameError::Characters));
        assert_eq!(
            check_username(""),
            Err(UsernameError::Text(TextError::Empty))
        );
    }

    #[test]
    fn password_length_is_bounded() {
        assert!(check_password("kort").is_err());
        assert!(check_password("tillräckligt-långt").is_ok());
        assert!(check_password(&"x".repeat(201)).is_err());
    }
}
