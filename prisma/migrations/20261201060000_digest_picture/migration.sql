-- `设置 日报 图片`: the scheduled digest goes out as a picture, its text as the caption or next message.
ALTER TABLE "Shop" ADD COLUMN "digestPicture" BOOLEAN NOT NULL DEFAULT false;
-- The picture of one delivery, drawn when the run is claimed so a retry sends the same figures as its text.
ALTER TABLE "DigestDelivery" ADD COLUMN "image" BLOB;
