import { describe, expect, it } from "vitest";
import { signInOverHttp, usePlatform } from "../support/platform";
import { unitsWorkbook } from "../support/units";

const { url } = usePlatform({ env: { ATTACHMENT_MAX_MB: "1" } });

// Smallest real files of each kind: the server judges the bytes, not the name.
const PDF = new TextEncoder().encode("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");
const PNG = Uint8Array.from(
  Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64"),
);
const SCRIPT = new TextEncoder().encode("#!/bin/sh\necho pwned\n");

async function upload(cookie: string, name: string, bytes: Uint8Array) {
  const form = new FormData();
  form.append("file", new Blob([bytes as Uint8Array<ArrayBuffer>]), name);
  const response = await fetch(`${url()}/attachments?_data=routes%2Fattachments`, {
    method: "POST",
    headers: { Cookie: cookie, Origin: url() },
    body: form,
  });
  return { status: response.status, body: await response.json() };
}

async function api(path: string, cookie: string, body?: unknown) {
  const response = await fetch(url() + path, {
    method: body === undefined ? "GET" : "POST",
    headers: { Cookie: cookie, Origin: url(), ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

/** An Excel workbook's bytes (a zip of XML parts, as Excel saves it). */
const xlsx = () => unitsWorkbook([["1", "1", "101", 88, "张三", "13800000000"]]);

describe("file names", () => {
  it("upload whatever a phone or Windows names them, stored as the sanitised original", async () => {
    const insurer = await signInOverHttp(url(), "insurer");
    const long = "现场照片".repeat(60);
    const cases: [string, string][] = [
      ["IMG_20260101=1.png", "IMG_20260101=1.png"],
      ["报告;第二版 (1).png", "报告;第二版 (1).png"],
      ['卫生间 "渗水" 部位.png', '卫生间 "渗水" 部位.png'],
      ["😀 墙角 #2 & 100%.png", "😀 墙角 #2 & 100%.png"],
      ["C:\\fakepath\\窗台.png", "窗台.png"],
      ["line\nbreak\u202Egnp.exe.png", "linebreakgnp.exe.png"],
      [`${long}😀.png`, `${long.slice(0, 196)}.png`],
      // Dots and spaces at the ends are no part of a name; a name that is only an extension has none.
      ["a.png.", "a.png"],
      [".png", "附件.png"],
      ["\u00a0\u3000.png", "附件.png"],
      ["..png", "附件.png"],
    ];
    for (const [name, stored] of cases) {
      const answer = await upload(insurer, name, PNG);
      expect(answer, name).toMatchObject({ status: 200, body: { name: stored } });
    }
  });

  it("are read as RFC 6266 writes them: a quote escaped with a backslash, a token, filename* (preferred)", async () => {
    const insurer = await signInOverHttp(url(), "insurer");
    /** An upload whose part names the file as `disposition` says, as curl or an HTTP library writes it. */
    const uploadAs = async (disposition: string | Buffer) => {
      const boundary = "----idi-test-boundary";
      const head = [`--${boundary}\r\nContent-Disposition: form-data; name="file"; `, disposition, "\r\nContent-Type: image/png\r\n\r\n"];
      const response = await fetch(`${url()}/attachments`, {
        method: "POST",
        headers: { Cookie: insurer, Origin: url(), "Content-Type": `multipart/form-data; boundary=${boundary}` },
        body: Buffer.concat([...head.map((h) => Buffer.from(h)), PNG, Buffer.from(`\r\n--${boundary}--\r\n`)]),
      });
      return { status: response.status, body: await response.json() };
    };
    const cases: [string, string][] = [
      ['filename="a\\"b.png"', 'a"b.png'],
      ["filename*=UTF-8''%E6%B8%97%E6%B0%B4%20%E2%82%AC.png", "渗水 €.png"],
      ["filename=\"fallback.png\"; filename*=UTF-8''%E6%B8%97%E6%B0%B4.png", "渗水.png"],
      ["filename*=iso-8859-1'fr'caf%E9.png", "café.png"],
      ["filename=plain.png", "plain.png"],
      ['filename="C:\\\\dir\\\\x.png"', "x.png"],
      ['filename="semi;colon %22quoted%22.png"', 'semi;colon "quoted".png'],
    ];
    for (const [disposition, stored] of cases) {
      expect(await uploadAs(disposition), disposition).toMatchObject({ status: 200, body: { name: stored } });
    }
    // A name that is not UTF-8 (escaped or raw bytes) cannot be read: refused on the file, not stored as "��.png".
    const unreadable = { status: 422, body: { fields: { file: "文件名含有残缺的编码，无法识别，请重命名后再上传" } } };
    expect(await uploadAs("filename*=UTF-8''%FF%FE.png")).toMatchObject(unreadable);
    expect(await uploadAs(Buffer.from([0x66, 0x69, 0x6c, 0x65, 0x6e, 0x61, 0x6d, 0x65, 0x3d, 0x22, 0xff, 0xfe, 0x2e, 0x70, 0x6e, 0x67, 0x22]))).toMatchObject(unreadable);
  });

  it("take the extension of what the file is, and are served under it with the type found", async () => {
    const insurer = await signInOverHttp(url(), "insurer");
    const sheet = await xlsx();
    const stored = await upload(insurer, "x.html", sheet);
    expect(stored).toMatchObject({ status: 200, body: { name: "x.xlsx" } });
    expect((await upload(insurer, "照片.JPEG.exe", PDF)).body.name).toBe("照片.JPEG.pdf");
    expect((await upload(insurer, "第1.2版 说明", PDF)).body.name).toBe("第1.2版 说明.pdf");

    const served = await fetch(`${url()}/attachments/${stored.body.id}`, { headers: { Cookie: insurer } });
    expect(served.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(served.headers.get("content-disposition")).toBe(`attachment; filename="x.xlsx"; filename*=UTF-8''x.xlsx`);
    const quoted = (await upload(insurer, `it's "现场" (1).png`, PNG)).body;
    const disposition = (await fetch(`${url()}/attachments/${quoted.id}`, { headers: { Cookie: insurer } })).headers.get(
      "content-disposition",
    );
    // The quotes cannot end the ASCII name early; the UTF-8 name keeps every character, ' ( ) encoded too.
    expect(disposition).toBe(`attachment; filename="it's ___ (1).png"; filename*=UTF-8''it%27s%20%22%E7%8E%B0%E5%9C%BA%22%20%281%29.png`);
  });
});

describe("attachments", () => {
  it("accepts a PDF and a PNG, checked by content; refuses a script named .pdf with a Chinese message", async () => {
    const insurer = await signInOverHttp(url(), "insurer");
    const pdf = await upload(insurer, "施工图纸.pdf", PDF);
    expect(pdf).toMatchObject({ status: 200, body: { name: "施工图纸.pdf", size: PDF.byteLength } });
    expect((await upload(insurer, "现场照片.png", PNG)).status).toBe(200);
    const fake = await upload(insurer, "图纸.pdf", SCRIPT);
    expect(fake.status).toBe(422);
    expect(fake.body.fields.file).toContain("不支持该文件类型");
  });

  it("refuses a file over the size limit, saying the limit", async () => {
    const insurer = await signInOverHttp(url(), "insurer");
    const big = new Uint8Array(1_500_000);
    big.set(PDF);
    const refused = await upload(insurer, "大图纸.pdf", big);
    expect(refused.status).toBe(422);
    expect(refused.body.fields.file).toContain("文件超过 1MB 的上限");
  });

  it("go with a task submission; another organisation cannot download them (404), the regulator can", async () => {
    const insurer = await signInOverHttp(url(), "insurer");
    const started = await api("/api/v1/processes/demo-approval/instances", insurer, { title: "带附件的申请" });
    const taskId = started.body.openTasks[0].id;
    const file = (await upload(insurer, "报价函.pdf", PDF)).body;
    const done = await api(`/api/v1/tasks/${taskId}/complete`, insurer, {
      submission: { subject: "附件", amount: 1, files: [{ id: file.id, name: "改名.exe", size: 1 }] },
    });
    expect(done.status).toBe(200);
    const task = await api(`/api/v1/tasks/${taskId}`, insurer);
    expect(task.body.submission.files).toEqual([{ id: file.id, name: "报价函.pdf", size: PDF.byteLength }]);

    const download = (cookie: string) => fetch(`${url()}/attachments/${file.id}`, { headers: { Cookie: cookie } });
    const own = await download(insurer);
    expect(own.status).toBe(200);
    expect(own.headers.get("content-type")).toBe("application/pdf");
    expect(new Uint8Array(await own.arrayBuffer())).toEqual(PDF);
    expect((await download(await signInOverHttp(url(), "tis"))).status).toBe(404);
    expect((await download(await signInOverHttp(url(), "regulator"))).status).toBe(200);
  });

  it("a step that comes back after a return carries its files: accepted again, and still nobody else's to claim", async () => {
    const insurer = await signInOverHttp(url(), "insurer");
    const regulator = await signInOverHttp(url(), "regulator");
    const started = await api("/api/v1/processes/demo-approval/instances", insurer, { title: "退回后带附件" });
    const file = (await upload(insurer, "报价函.pdf", PDF)).body;
    const submission = { subject: "附件", amount: 1, files: [{ id: file.id }] };
    expect((await api(`/api/v1/tasks/${started.body.openTasks[0].id}/complete`, insurer, { submission })).status).toBe(200);
    const review = (await api(`/api/v1/instances/${started.body.id}`, regulator)).body.openTasks[0].id;
    const returned = await api(`/api/v1/tasks/${review}/complete`, regulator, { submission: { decision: "return", reason: "请补充说明" } });
    expect(returned.status).toBe(200);
    const again = (await api(`/api/v1/instances/${started.body.id}`, insurer)).body.openTasks[0].id;
    expect((await api(`/api/v1/tasks/${again}/complete`, insurer, { submission })).status).toBe(200);

    const cpic = await signInOverHttp(url(), "insurer-cpic");
    const theirs = await api("/api/v1/processes/demo-approval/instances", cpic, { title: "冒用他人流程的附件" });
    const attempt = await api(`/api/v1/tasks/${theirs.body.openTasks[0].id}/complete`, cpic, { submission });
    expect(attempt).toMatchObject({ status: 422, body: { fields: { files: "附件不存在或不是您上传的，请重新上传" } } });
  });

  it("a submission cannot claim someone else's upload", async () => {
    const insurer = await signInOverHttp(url(), "insurer");
    const tis = await signInOverHttp(url(), "tis");
    const theirs = (await upload(tis, "别人的.pdf", PDF)).body;
    const started = await api("/api/v1/processes/demo-approval/instances", insurer, { title: "冒用附件" });
    const taskId = started.body.openTasks[0].id;
    const attempt = await api(`/api/v1/tasks/${taskId}/complete`, insurer, {
      submission: { subject: "冒用", amount: 1, files: [{ id: theirs.id }] },
    });
    expect(attempt).toMatchObject({ status: 422, body: { fields: { files: "附件不存在或不是您上传的，请重新上传" } } });
  });
});
