CREATE TABLE posts (
    id SERIAL PRIMARY KEY,
    -- No index leads with author_id: listing an author's posts, and deleting
    -- a user (the key check), read the whole table.
    author_id INTEGER NOT NULL REFERENCES users (id), -- expect: db/unindexed-foreign-key:warning
    title VARCHAR NOT NULL,
    slug VARCHAR NOT NULL,
    published BOOLEAN NOT NULL DEFAULT false,
    created_at TIMESTAMP NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX posts_slug_idx ON posts (slug);
