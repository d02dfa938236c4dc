//! The one error type the UI sees: a stable code and a message for people. Internal
//! details (SQL, paths of the machine) stay in the log, not in the window.

use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct UiError {
    pub code: &'static str,
    pub message: String,
}

impl UiError {
    pub fn invalid(message: impl Into<String>) -> Self {
        UiError {
            code: "invalid",
            message: message.into(),
        }
    }
}

impl From<veille_core::Error> for UiError {
    fn from(error: veille_core::Error) -> Self {
        let code = error.code();
        let message = match &error {
            veille_core::Error::Database(_) | veille_core::Error::Migration(_) => {
                eprintln!("veille: {error}");
                "the database could not do that; nothing was lost, please try again".to_owned()
            }
            other => other.to_string(),
        };
        UiError { code, message }
    }
}

pub type UiResult<T> = Result<T, UiError>;
