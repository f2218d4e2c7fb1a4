import { errorText } from "./error-text";

// The error page of the light document (root): for the pages outside the signed-in frame that
// load no antd (the owners' page), in plain HTML with its few styles inline.

const box = { maxWidth: 480, margin: "15vh auto 0", padding: "0 24px", textAlign: "center", fontFamily: "system-ui, sans-serif" } as const;
const button = {
  display: "inline-block",
  marginTop: 24,
  padding: "6px 16px",
  borderRadius: 4,
  background: "#1d5fa8",
  color: "#fff",
  textDecoration: "none",
} as const;

/** The Chinese page for an error status, with a way back to the start. A plain link: it works before scripts load. */
export function PlainErrorPage({ status }: { status: number }) {
  const text = errorText(status);
  return (
    <main style={box}>
      <h1 style={{ fontSize: 24, fontWeight: 500, color: "rgba(0,0,0,0.88)", margin: 0 }}>{text.title}</h1>
      <p style={{ color: "rgba(0,0,0,0.45)", fontSize: 14, lineHeight: 1.6 }}>{text.subTitle}</p>
      <a href="/" style={button}>
        返回首页
      </a>
    </main>
  );
}
