-- CreateTable: who drives a chat login (wechat:<name>) when several processes share the database;
-- the holder renews expiresAt, and another process takes the row once it is released or has expired.
CREATE TABLE "LoginLease" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "holder" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL
);
