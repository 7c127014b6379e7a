pub use super::comments::Entity as Comments;
pub use super::notes::Entity as Notes;
pub use super::users::Entity as Users;
