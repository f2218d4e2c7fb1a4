import { createHash } from "node:crypto";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { fileTypeFromBuffer } from "file-type";
import { z } from "zod";
import { attachments, claims, processInstances, tasks, type Attachment } from "@db/schema";
import type { Executor, Tx } from "@db/client";
import { recordAudit } from "./audit.server";
import type { Actor } from "./auth/actor";
import { flowFilesScope, scope } from "./auth/scope.server";
import { clock } from "./clock.server";
import { db } from "./db.server";
import { env } from "./env.server";
import { NotFoundError, ValidationError } from "./errors.server";

// What may be uploaded, judged by the bytes, not the name: drawings, documents, photos, scans. Each
// type's extensions: a file keeps its own name only with one of them (the first is given otherwise).
export const ALLOWED_TYPES: Record<string, { label: string; extensions: string[] }> = {
  "application/pdf": { label: "PDF", extensions: ["pdf"] },
  "image/jpeg": { label: "JPG 图片", extensions: ["jpg", "jpeg"] },
  "image/png": { label: "PNG 图片", extensions: ["png"] },
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": { label: "Word 文档", extensions: ["docx"] },
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": { label: "Excel 表格", extensions: ["xlsx"] },
  "image/vnd.dwg": { label: "DWG 图纸", extensions: ["dwg"] },
};

/** Longest stored name, in characters (a phone's or Windows' longest is 255). */
const MAX_NAME = 200;
/** Characters that would make a name lie about itself or break a line: controls, bidirectional overrides. */
const UNSAFE_IN_NAME = /[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/**
 * The name a file is stored and served under: the uploaded name without any folder (a browser may
 * send "C:\fakepath\…"), controls or direction overrides, at most MAX_NAME characters, and ending
 * in an extension of the type its bytes have ("报价.html" holding a spreadsheet becomes "报价.xlsx").
 */
export function storedFileName(uploaded: string, mime: string): string {
  const extensions = ALLOWED_TYPES[mime].extensions;
  // Dots and spaces at either end are no part of a name (Windows drops the trailing ones itself):
  // "a.png." is a.png; ".png" and one of spaces (ideographic too) and ".png" are a PNG without a name.
  const name = (uploaded.split(/[\\/]/).pop() ?? "").replace(UNSAFE_IN_NAME, "").replace(/[.\s]+$/u, "").trim();
  const dot = name.lastIndexOf(".");
  const extension = dot >= 0 ? name.slice(dot + 1) : "";
  let [stem, ending] = [name, `.${extensions[0]}`];
  if (extensions.includes(extension.toLowerCase())) [stem, ending] = [name.slice(0, dot), `.${extension}`];
  // Only what looks like an extension is replaced: "第1.2版 报告" keeps its ".2版 报告".
  else if (/^[A-Za-z0-9]{1,8}$/.test(extension)) stem = name.slice(0, dot);
  // Cut by characters, not UTF-16 units: half an emoji cannot be stored.
  const cut = [...stem.replace(/^[.\s]+|[.\s]+$/gu, "")]
    .slice(0, MAX_NAME - ending.length)
    .join("")
    .trim();
  return `${cut || "附件"}${ending}`;
}

export function maxAttachmentBytes(): number {
  return env().ATTACHMENT_MAX_MB * 1024 * 1024;
}

function storagePath(key: string): string {
  return path.resolve(env().ATTACHMENTS_DIR, key);
}

export interface AttachmentRef {
  id: string;
  name: string;
  size: number;
}

/** Stores an uploaded file for the actor, after checking its size and its real type. */
export async function storeAttachment(actor: Actor, file: { name: string; bytes: Uint8Array }): Promise<AttachmentRef> {
  if (!actor.userId) throw new ValidationError({ file: "请先登录" });
  if (file.bytes.byteLength === 0) throw new ValidationError({ file: "文件是空的" });
  if (file.bytes.byteLength > maxAttachmentBytes()) throw new ValidationError({ file: `文件超过 ${env().ATTACHMENT_MAX_MB}MB 的上限` });
  const detected = await fileTypeFromBuffer(file.bytes);
  if (!detected || !ALLOWED_TYPES[detected.mime]) {
    throw new ValidationError({
      file: `不支持该文件类型，只能上传：${Object.values(ALLOWED_TYPES)
        .map((t) => t.label)
        .join("、")}`,
    });
  }
  const id = crypto.randomUUID();
  const now = clock.now();
  const key = path.join(String(now.getUTCFullYear()), String(now.getUTCMonth() + 1).padStart(2, "0"), id);
  const target = storagePath(key);
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, file.bytes, { flag: "wx" });
  const fileName = storedFileName(file.name, detected.mime);
  try {
    await db().transaction(async (tx) => {
      await tx.insert(attachments).values({
        id,
        fileName,
        contentType: detected.mime,
        size: file.bytes.byteLength,
        sha256: createHash("sha256").update(file.bytes).digest("hex"),
        storageKey: key,
        uploadedBy: actor.userId!,
        uploadedByName: actor.displayName,
        organisationId: actor.organisationId,
        createdAt: now,
      });
      await recordAudit(tx, actor, {
        action: "attachment.upload",
        subjectType: "attachment",
        subjectId: id,
        after: { fileName, size: file.bytes.byteLength, contentType: detected.mime },
      });
    });
  } catch (error) {
    await rm(target, { force: true });
    throw error;
  }
  return { id, name: fileName, size: file.bytes.byteLength };
}

/**
 * Deletes files the actor uploaded that nothing uses (linked to no task or claim): a report's
 * photos the owner's chat did not keep. A linked file, or another's, is left as it is.
 */
export async function discardUnlinked(actor: Actor, ids: string[]): Promise<void> {
  if (!actor.userId || ids.length === 0) return;
  const removed = await db().transaction(async (tx) => {
    const rows = await tx
      .delete(attachments)
      .where(and(inArray(attachments.id, ids), isNull(attachments.subjectId), eq(attachments.uploadedBy, actor.userId!)))
      .returning();
    for (const row of rows)
      await recordAudit(tx, actor, {
        action: "attachment.discard",
        subjectType: "attachment",
        subjectId: row.id,
        before: { fileName: row.fileName, size: row.size },
      });
    return rows;
  });
  for (const row of removed) await rm(storagePath(row.storageKey), { force: true });
}

/**
 * Who may read a file: its uploader; once it is linked, whoever sees what it is part of: a report's
 * photos whoever sees the claim, a step's files whoever sees the flow or the page of what the flow
 * is about (flowFilesScope). The pages that list a file and this check follow the same scope, so
 * a file shown is a file that opens. Anyone else gets 404.
 */
export async function readAttachment(actor: Actor, id: string): Promise<{ attachment: Attachment; bytes: Buffer }> {
  if (!z.uuid().safeParse(id).success) throw new NotFoundError();
  const [attachment] = await db().select().from(attachments).where(eq(attachments.id, id));
  if (!attachment) throw new NotFoundError();
  if (attachment.uploadedBy !== actor.userId) {
    if (attachment.subjectType === "claim") {
      const [claim] = await db()
        .select({ id: claims.id })
        .from(claims)
        .where(and(sql`${claims.id}::text = ${attachment.subjectId}`, scope(actor, "claim")));
      if (!claim) throw new NotFoundError();
    } else {
      if (attachment.subjectType !== "task") throw new NotFoundError();
      const [task] = await db()
        .select({ id: tasks.id })
        .from(tasks)
        .innerJoin(processInstances, eq(processInstances.id, tasks.instanceId))
        .where(and(sql`${tasks.id}::text = ${attachment.subjectId}`, flowFilesScope(actor)));
      if (!task) throw new NotFoundError();
    }
  }
  return { attachment, bytes: await readFile(storagePath(attachment.storageKey)) };
}

/**
 * Links the files a submission refers to with the task it completes. A submission may refer to
 * files the actor uploaded that are not linked elsewhere, and to files already part of this flow
 * (a step that comes back after a return carries its earlier files: they stay linked to the step
 * that first submitted them). The refs are rewritten from the stored rows, so a submission cannot
 * rename or resize a file.
 */
export async function linkSubmittedAttachments(
  tx: Tx,
  actor: Actor,
  task: { id: string; instanceId: string },
  refs: unknown[],
  field: string,
): Promise<AttachmentRef[]> {
  const ids = refs.map((r) => (r && typeof r === "object" ? (r as { id?: unknown }).id : undefined));
  if (ids.some((i) => typeof i !== "string" || !z.uuid().safeParse(i).success))
    throw new ValidationError({ [field]: "附件信息不正确，请重新上传" });
  const rows = await tx
    .select({ attachment: attachments, instanceId: tasks.instanceId })
    .from(attachments)
    // subject_id is text (it names objects of several kinds): compared as text with the task's id.
    .leftJoin(tasks, and(eq(attachments.subjectType, "task"), sql`${tasks.id}::text = ${attachments.subjectId}`))
    .where(inArray(attachments.id, ids as string[]));
  const fresh = rows.filter((r) => !r.attachment.subjectId && r.attachment.uploadedBy === actor.userId).map((r) => r.attachment);
  const ofThisFlow = rows.filter((r) => r.attachment.subjectId && r.instanceId === task.instanceId).map((r) => r.attachment);
  if (fresh.length + ofThisFlow.length !== new Set(ids).size)
    throw new ValidationError({ [field]: "附件不存在或不是您上传的，请重新上传" });
  if (fresh.length)
    await tx
      .update(attachments)
      .set({ subjectType: "task", subjectId: task.id })
      .where(
        inArray(
          attachments.id,
          fresh.map((a) => a.id),
        ),
      );
  const byId = new Map([...fresh, ...ofThisFlow].map((a) => [a.id, a]));
  return (ids as string[]).map((id) => byId.get(id)!).map((a) => ({ id: a.id, name: a.fileName, size: a.size }));
}

export async function attachmentsOf(ex: Executor, subjectType: string, subjectId: string) {
  return ex
    .select()
    .from(attachments)
    .where(and(eq(attachments.subjectType, subjectType), eq(attachments.subjectId, subjectId)));
}
