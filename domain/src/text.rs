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

/// Passwords: long enough to resist guessing, short enough not to be a hashing DoS,
/// and not one that attackers try first (issue 14, item 10; OWASP ASVS 5.0 6.2.4,
/// NIST SP 800-63B 3.1.1.2: refuse passwords from lists of breached and common ones).
pub fn check_password(password: &str) -> Result<(), PasswordError> {
    let n = password.chars().count();
    if n < PASSWORD_MIN {
        Err(PasswordError::TooShort { min: PASSWORD_MIN })
    } else if n > PASSWORD_MAX {
        Err(PasswordError::TooLong { max: PASSWORD_MAX })
    } else if is_common_password(password) {
        Err(PasswordError::Common)
    } else {
        Ok(())
    }
}

/// The common passwords of at least [`PASSWORD_MIN`] characters (the file says where
/// they come from), in lower case.
const COMMON_PASSWORDS: &str = include_str!("common_passwords.txt");

/// Swedish words that make a guessable password with nothing but digits and marks
/// around them ("Sommar2024!", "lösenord123"): the list above is mostly English.
const SWEDISH_BASE_WORDS: &[&str] = &[
    "lösenord",
    "losenord",
    "sommar",
    "vinter",
    "hösten",
    "hosten",
    "våren",
    "varen",
    "välkommen",
    "valkommen",
    "hemligt",
    "hemlig",
    "sverige",
    "stockholm",
    "göteborg",
    "goteborg",
    "malmö",
    "malmo",
    "uppsala",
    "kommunen",
    "kommun",
    "socialtjänsten",
    "socialtjansten",
    "akta",
    "måsen",
    "masen",
    "password",
    "qwerty",
    "asdfgh",
    "abc",
];

/// Whether `password` is on the list of common passwords (ignoring case), or is a
/// Swedish base word with only digits and punctuation before or after it.
pub fn is_common_password(password: &str) -> bool {
    let lower = password.trim().to_lowercase();
    if COMMON_PASSWORDS
        .lines()
        .filter(|l| !l.starts_with('#'))
        .any(|l| l == lower)
    {
        return true;
    }
    let core =
        lower.trim_matches(|c: char| c.is_ascii_digit() || c.is_ascii_punctuation() || c == ' ');
    core.is_empty() || SWEDISH_BASE_WORDS.contains(&core)
}

pub const PASSWORD_MIN: usize = 10;
pub const PASSWORD_MAX: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("the password is shorter than {min} characters")]
    TooShort { min: usize },
    #[error("the password is longer than {max} characters")]
    TooLong { max: usize },
    #[error("the password is one of the common passwords attackers try first")]
    Common,
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
    fn common_passwords_are_refused_whatever_the_case() {
        // issue 14, item 10: "a list of common passwords refused".
        assert_eq!(check_password("password123"), Err(PasswordError::Common));
        assert_eq!(check_password("QwertyUiop"), Err(PasswordError::Common));
        assert_eq!(check_password("1234567890"), Err(PasswordError::Common));
        assert_eq!(check_password("Sommar2024!"), Err(PasswordError::Common));
        assert_eq!(check_password("lösenord1234"), Err(PasswordError::Common));
        assert_eq!(check_password("!!!!!!!!!!!!"), Err(PasswordError::Common));
        assert!(
            COMMON_PASSWORDS
                .lines()
                .filter(|l| !l.starts_with('#'))
                .count()
                > 1500
        );
        // The comment lines are not passwords.
        assert!(!is_common_password("# Common passwords refused by Akta"));
        assert_eq!(check_password("ett långt lösenord"), Ok(()));
        assert_eq!(check_password("demo-losenord"), Ok(()));
        assert_eq!(check_password("sommar-i-stugan-2024"), Ok(()));
    }

    #[test]
    fn password_length_is_bounded() {
        assert!(check_password("kort").is_err());
        assert!(check_password("tillräckligt-långt").is_ok());
        assert!(check_password(&"x".repeat(201)).is_err());
    }
}
