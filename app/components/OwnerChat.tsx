import { useEffect, useRef, useState } from "react";
import { CameraIcon, SendIcon } from "./owner/icons";
import { shrinkPhoto } from "./shrink-photo";
import { useHydrated } from "./owner/hydrated";

// The owners' chat panel (在线服务): the same conversation as the Telegram bot, for owners who do not
// use Telegram. Messages go to POST /owner/chat, photos to POST /owner/chat/photo. Plain HTML,
// styled by the owners' page's stylesheet (styles/owner.css): the page loads no antd.

interface ChatChoice {
  value: string;
  label: string;
}

interface ChatReply {
  text: string;
  choices?: ChatChoice[];
}

interface Line {
  from: "bot" | "owner";
  text: string;
  choices?: ChatChoice[];
}

type ChatBody = { open: true } | { text: string } | { choice: string };

const PHOTO_MAX_SIDE = 2560;
/** How often an open panel asks for news of the owner's claims. */
const POLL_MS = 30_000;
const FAILED = "网络不稳定，消息没有发出，请稍后再试。";

async function post(url: string, init: RequestInit): Promise<ChatReply[]> {
  const response = await fetch(url, { method: "POST", credentials: "same-origin", ...init });
  const data = (await response.json().catch(() => null)) as {
    replies?: ChatReply[];
    message?: string;
    fields?: Record<string, string>;
  } | null;
  if (data?.replies) return data.replies;
  // A refusal's own words are on its field (the general message says only that something is wrong).
  return [{ text: Object.values(data?.fields ?? {})[0] ?? data?.message ?? FAILED }];
}

export function OwnerChat({ height = 480 }: { height?: number }) {
  const [lines, setLines] = useState<Line[]>([]);
  const [draft, setDraft] = useState("");
  const [busy, setBusy] = useState(false);
  const listRef = useRef<HTMLDivElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);

  const exchange = async (said: string | null, request: () => Promise<ChatReply[]>) => {
    if (said) setLines((all) => [...all, { from: "owner", text: said }]);
    setBusy(true);
    const replies = await request().catch((): ChatReply[] => [{ text: FAILED }]);
    setLines((all) => [...all, ...replies.map((r) => ({ from: "bot" as const, text: r.text, choices: r.choices }))]);
    setBusy(false);
  };
  const send = (body: ChatBody, said: string | null) =>
    exchange(said, () => post("/owner/chat", { headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) }));
  const sendPhoto = async (file: File) => {
    const form = new FormData();
    form.append("photo", await shrinkPhoto(file, PHOTO_MAX_SIDE));
    await exchange(`［照片］${file.name}`, () => post("/owner/chat/photo", { body: form }));
  };

  useEffect(() => {
    // Opening the panel greets; a chat left halfway (a reload) goes on where it stood.
    void send({ open: true }, null);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, as the panel opens
  }, []);
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState !== "visible") return;
      // News only: a failed poll says nothing (the next one may get through).
      fetch("/owner/chat", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ poll: true }),
      })
        .then((response) => response.json() as Promise<{ replies?: ChatReply[] }>)
        .then(
          ({ replies }) => replies?.length && setLines((all) => [...all, ...replies.map((r) => ({ from: "bot" as const, text: r.text }))]),
        )
        .catch(() => {});
    }, POLL_MS);
    return () => clearInterval(timer);
  }, []);
  useEffect(() => {
    listRef.current?.scrollTo({ top: listRef.current.scrollHeight });
  }, [lines]);

  // The latest buttons stay while an answer brings none (too fast, a network error): the owner is never stuck.
  const choices = lines.findLast((line) => line.from === "bot" && line.choices?.length)?.choices;
  const hydrated = useHydrated();
  const submitText = () => {
    const text = draft.trim();
    if (!text || busy) return;
    setDraft("");
    void send({ text }, text);
  };

  return (
    <div className="ow-chat">
      <div ref={listRef} role="log" aria-label="对话记录" className="ow-chat-log" style={{ height }}>
        {lines.map((line, i) => (
          <div key={i} className={line.from === "owner" ? "ow-line ow-mine" : "ow-line"}>
            <p>{line.text}</p>
          </div>
        ))}
      </div>
      {choices?.length ? (
        <div className="ow-row" style={{ padding: "8px 12px 0" }} aria-label="可选操作">
          {choices.map((choice) => (
            <button
              key={choice.value}
              type="button"
              className="ow-button ow-small"
              disabled={busy}
              onClick={() => void send({ choice: choice.value }, choice.label)}
            >
              {choice.label}
            </button>
          ))}
        </div>
      ) : null}
      <div className="ow-chat-bar">
        <button
          type="button"
          className="ow-button"
          disabled={busy || !hydrated}
          onClick={() => fileRef.current?.click()}
          aria-label="上传照片"
        >
          <CameraIcon />
        </button>
        <input
          className="ow-input"
          value={draft}
          // Not before the page's scripts run it: what was typed would be lost to them.
          disabled={!hydrated}
          placeholder={hydrated ? "输入消息，或点击上方按钮" : "页面加载中，请稍候…"}
          aria-label="消息"
          enterKeyHint="send"
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            // Not while an input method is composing: its Enter picks the characters.
            if (e.key === "Enter" && !e.nativeEvent.isComposing) submitText();
          }}
        />
        <button type="button" className="ow-button ow-primary" disabled={busy || !draft.trim()} onClick={submitText}>
          <SendIcon />
          发送
        </button>
      </div>
      <input
        ref={fileRef}
        type="file"
        accept="image/jpeg,image/png"
        hidden
        multiple
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = "";
          // One after the other, as the dialogue counts them: past the ninth it says the limit.
          void (async () => {
            for (const file of files) await sendPhoto(file);
          })();
        }}
      />
    </div>
  );
}
