-- PostgreSQL twin of prisma/migrations/20261130100000_binding_code_purpose.

-- AlterTable: what a binding code grants. 'chat' binds the chat it is used in and never changes anyone's
-- account or role; 'link' adds the asker's account on another platform and is only handed out in a private chat.
ALTER TABLE "BindingCode" ADD COLUMN "purpose" TEXT NOT NULL DEFAULT 'chat';
