use sea_orm_migration::{prelude::*, schema::*};

use super::m20240101_000001_create_users::Users;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Notes::Table)
                    .if_not_exists()
                    .col(pk_auto(Notes::Id))
                    // Nothing indexes user_id: a user's notes, and deleting a
                    // user, read the whole table.
                    .col(integer(Notes::UserId)) // expect: db/unindexed-foreign-key:warning
                    .col(string(Notes::Title))
                    .col(text(Notes::Body))
                    .col(timestamp(Notes::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_notes_user")
                            .from(Notes::Table, Notes::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // Sorting the recent notes.
        manager
            .create_index(
                Index::create()
                    .name("idx_notes_created_at")
                    .table(Notes::Table)
                    .col(Notes::CreatedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Notes::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
pub enum Notes {
    Table,
    Id,
    UserId,
    Title,
    Body,
    CreatedAt,
}
