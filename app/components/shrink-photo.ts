// Photos from a phone's camera are often 4000 px and 5 MB or more: on a site's mobile connection
// they are scaled down in the browser before they are uploaded.

const SCALABLE_TYPES = ["image/jpeg", "image/png", "image/webp"];
// Above this size an image is encoded again even when its sides are within the limit.
const LARGE_BYTES = 1.5 * 1024 * 1024;
const JPEG_QUALITY = 0.85;

const jpegName = (name: string) => `${name.replace(/\.[^./\\]*$/, "") || "照片"}.jpg`;

// Photos chosen together are scaled one after the other: a phone decoding several 12-megapixel
// photos at once can run out of memory.
let queue: Promise<unknown> = Promise.resolve();

/**
 * The image scaled so that its longer side is at most `maxSide`, as a JPEG of the same name
 * (extension .jpg). Anything else (not a JPEG, PNG or WebP image, small enough already, or not
 * decodable by the browser) is given back unchanged, for the server to judge.
 */
export function shrinkPhoto(file: File, maxSide: number): Promise<File> {
  const shrunk = queue.then(() => scaled(file, maxSide));
  queue = shrunk.catch(() => {});
  return shrunk;
}

async function scaled(file: File, maxSide: number): Promise<File> {
  if (!SCALABLE_TYPES.includes(file.type)) return file;
  // Decoding applies the photo's EXIF orientation, which the new JPEG no longer carries.
  const bitmap = await createImageBitmap(file).catch(() => null);
  if (!bitmap) return file;
  try {
    const longer = Math.max(bitmap.width, bitmap.height);
    if (longer <= maxSide && file.size <= LARGE_BYTES) return file;
    const scale = Math.min(1, maxSide / longer);
    const canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    const context = canvas.getContext("2d");
    if (!context) return file;
    // JPEG has no transparency: a PNG's transparent parts become white, not black.
    context.fillStyle = "#fff";
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, "image/jpeg", JPEG_QUALITY));
    if (!blob || (scale === 1 && blob.size >= file.size)) return file;
    return new File([blob], jpegName(file.name), { type: "image/jpeg", lastModified: file.lastModified });
  } finally {
    bitmap.close();
  }
}
