use sea_orm_migration::{prelude::*, schema::*};

use super::m20240101_000001_create_users::Users;
use super::m20240102_000001_create_notes::Notes;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let table = Table::create()
            .table(Comments::Table)
            .if_not_exists()
            .col(pk_auto(Comments::Id))
            .col(integer(Comments::NoteId)) // ok: db/unindexed-foreign-key
            .col(text(Comments::Body))
            .col(integer_null(Comments::AuthorId)) // expect: db/unindexed-foreign-key:warning
            .foreign_key(
                ForeignKey::create()
                    .name("fk_comments_note")
                    .from(Comments::Table, Comments::NoteId)
                    .to(Notes::Table, Notes::Id),
            )
            .foreign_key(
                ForeignKey::create()
                    .name("fk_comments_author")
                    .from(Comments::Table, Comments::AuthorId)
                    .to(Users::Table, Users::Id),
            )
            .to_owned();
        manager.create_table(table).await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_comments_note_id")
                    .table(Comments::Table)
                    .col(Comments::NoteId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name("idx_comments_note_id").to_owned())
            .await?;
        manager.drop_table(Table::drop().table(Comments::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Comments {
    Table,
    Id,
    NoteId,
    Body,
    AuthorId,
}
