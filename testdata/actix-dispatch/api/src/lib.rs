//! board_api: the logic of each request type.

use board_common::{
    user_from_jwt, user_from_jwt_opt, AddAdmin, ApiError, Context, GetFeed, JoinRoom, Perform,
};

impl Perform for AddAdmin {
    type Response = i64;

    async fn perform(&self, context: &Context) -> Result<i64, ApiError> {
        // The session check lives here, not in the HTTP handler.
        let user = user_from_jwt(&self.auth, context)?;
        if !user.admin {
            return Err(ApiError("not_an_admin"));
        }
        Ok(self.person_id)
    }
}

impl Perform for JoinRoom {
    type Response = i64;

    async fn perform(&self, _context: &Context) -> Result<i64, ApiError> {
        Ok(self.room_id)
    }
}

impl Perform for GetFeed {
    type Response = usize;

    async fn perform(&self, context: &Context) -> Result<usize, ApiError> {
        // Optional session: anonymous readers get the public feed.
        let user = user_from_jwt_opt(self.auth.as_deref(), context)?;
        Ok(user.map_or(0, |u| u.id as usize))
    }
}
