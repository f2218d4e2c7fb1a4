// Writes app/styles/antd.generated.css, the stylesheet root.tsx links (`npm run build` runs this
// before `remix build`, which fingerprints the file and serves it as a cached asset).
import { writeFileSync } from "node:fs";
import path from "node:path";
import { antdStylesheet } from "./antd-stylesheet";

const target = path.join(import.meta.dirname, "antd.generated.css");
const css = antdStylesheet();
writeFileSync(target, css);
console.info(`wrote ${path.relative(process.cwd(), target)} (${Math.round(css.length / 1024)} KB)`);
