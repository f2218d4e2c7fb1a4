import { useFetcher } from "@remix-run/react";
import { useCallback, useEffect, useState } from "react";
import type { followClaim } from "~/server/claims/owner-page.server";
import { RATING_REASON_LABELS } from "~/shared/claim-labels";
import { RATING_CODE_BUTTON, RATING_COMMENT_MAX } from "~/shared/claim-limits";
import { textLength, tooLongMessage } from "~/shared/field-rules";
import { Field, FormCard, TextField, useActionForm, type ActionAnswer } from "./form";

// 查询理赔进度 on the owners' page: a claim by its number and the reporter's (or the home owner's)
// phone, its steps, and once it is closed its rating (服务评价), the phone's holder confirming
// with a texted code.

type Followed = Awaited<ReturnType<typeof followClaim>>;
type Lookup = { number: string; phone: string };

export function FollowClaim() {
  const [lookup, setLookup] = useState<Lookup>({ number: "", phone: "" });
  const [followed, setFollowed] = useState<{ claim: Followed; lookup: Lookup } | null>(null);
  const form = useActionForm<ActionAnswer & { claim?: Followed }>({
    intent: "follow",
    onSuccess: (answer) => setFollowed({ claim: answer.claim!, lookup }),
  });
  const onRated = useCallback((claim: Followed) => setFollowed((f) => (f ? { ...f, claim } : f)), []);
  const field = (name: keyof Lookup) => ({
    required: true,
    error: form.errors[name],
    value: lookup[name],
    onChange: (event: { target: { value: string } }) => {
      setLookup((l) => ({ ...l, [name]: event.target.value }));
      form.clear(name);
    },
  });
  return (
    <FormCard
      title="查询理赔进度"
      intro="输入案件号和报案时留的手机号（或房屋登记的业主手机号）。"
      error={form.formError}
      onSubmit={() => {
        const missing: Record<string, string> = {};
        if (!lookup.number.trim()) missing.number = "请输入案件号";
        if (!lookup.phone.trim()) missing.phone = "请输入报案时留的手机号";
        // What an earlier answer showed goes as the next question is sent.
        if (form.submit(lookup, missing)) setFollowed(null);
      }}
      after={followed ? <FollowedClaim claim={followed.claim} lookup={followed.lookup} onRated={onRated} /> : null}
    >
      <TextField label="案件号" {...field("number")} placeholder="如 LP000123" autoComplete="off" />
      <TextField label="手机号" {...field("phone")} inputMode="tel" autoComplete="tel" />
      <button type="submit" className="ow-button ow-primary" disabled={form.sending}>
        查询
      </button>
    </FormCard>
  );
}

function FollowedClaim({ claim, lookup, onRated }: { claim: Followed; lookup: Lookup; onRated: (c: Followed) => void }) {
  return (
    <div className="ow-stack" style={{ marginTop: 16 }} data-testid="followed-claim">
      <div className="ow-row">
        <strong>{claim.number}</strong>
        <span className={`ow-tag ow-tag-${claim.status === "closed" ? "green" : "blue"}`}>{claim.statusLabel}</span>
      </div>
      <div>
        {claim.unitLabel} · {claim.partLabel}
      </div>
      <ol className="ow-timeline">
        {claim.steps.map((s, i) => (
          <li key={i}>
            <div>{s.label}</div>
            <div className="ow-muted">
              {s.at}
              {"detail" in s && s.detail ? `：${s.detail}` : ""}
            </div>
          </li>
        ))}
      </ol>
      {claim.rating ? <GivenRating rating={claim.rating} /> : null}
      {claim.canRate ? <RatingForm lookup={lookup} onRated={onRated} /> : null}
    </div>
  );
}

/** Stars as text: filled for those given, for the rating read back. */
function Stars({ stars }: { stars: number }) {
  return (
    <span className="ow-stars" role="img" aria-label={`${stars}星`}>
      {[1, 2, 3, 4, 5].map((n) => (
        <span key={n} className={n <= stars ? "ow-star ow-star-full" : "ow-star"} aria-hidden>
          ★
        </span>
      ))}
    </span>
  );
}

/** The rating the owner gave, read back: the stars as given, not a picker to fill in again. */
function GivenRating({ rating }: { rating: NonNullable<Followed["rating"]> }) {
  return (
    <section className="ow-card ow-stack" data-testid="given-rating">
      <h2>服务评价</h2>
      <div className="ow-row">
        <span>您的评价</span>
        <Stars stars={rating.stars} />
      </div>
      {rating.reasons.length ? (
        <div className="ow-muted">
          不满意的方面：{rating.reasons.map((r) => RATING_REASON_LABELS[r as keyof typeof RATING_REASON_LABELS] ?? r).join("、")}
        </div>
      ) : null}
      {rating.comment ? <div className="ow-muted">{rating.comment}</div> : null}
      <div className="ow-success">感谢您的评价</div>
    </section>
  );
}

type CodeAnswer = { ok: true; sentTo: string; validUntil: string } | { ok: false; message: string; fields?: Record<string, string> };
type Rating = { stars: number | null; reasons: string[]; comment: string; code: string };

/**
 * 服务评价 with its 短信验证码: a rating is the owner's only once the phone's holder reads back the
 * code texted to it. The note under the code says where the code stands: asked for (and until when
 * it is good), or what the last rating was told of it (wrong, locked, spent) until a new code is
 * asked for; while the field shows the rating's error, that is the note.
 */
function RatingForm({ lookup, onRated }: { lookup: Lookup; onRated: (c: Followed) => void }) {
  const [rating, setRating] = useState<Rating>({ stars: null, reasons: [], comment: "", code: "" });
  // What the last rating refused of its code (wrong, locked, spent), until a new code is asked for.
  const [codeProblem, setCodeProblem] = useState<string | null>(null);
  const form = useActionForm<ActionAnswer & { claim?: Followed }>({
    intent: "rate",
    onSuccess: (answer) => onRated(answer.claim!),
    onFailure: (answer) => answer.fields?.code && setCodeProblem(answer.fields.code),
  });
  const codeFetcher = useFetcher<CodeAnswer>();
  const codeAnswer = codeFetcher.state === "idle" ? codeFetcher.data : undefined;
  const { clear } = form;
  useEffect(() => {
    if (!codeAnswer) return;
    // A new code's answer replaces what the last rating said of the old code.
    clear("code");
    setCodeProblem(null);
  }, [codeAnswer, clear]);

  const set = <K extends keyof Rating>(name: K, value: Rating[K]) => {
    setRating((r) => ({ ...r, [name]: value }));
    form.clear(name);
  };
  const commentTooLong = textLength(rating.comment) > RATING_COMMENT_MAX ? tooLongMessage("评价内容", RATING_COMMENT_MAX) : undefined;
  const note = codeProblem
    ? codeProblem
    : codeAnswer
      ? codeAnswer.ok
        ? `验证码已发送至 ${codeAnswer.sentTo}，${codeAnswer.validUntil} 前有效`
        : (codeAnswer.fields?.code ?? codeAnswer.message)
      : "评价需验证报案手机号";
  const danger = Boolean(codeProblem) || (codeAnswer && !codeAnswer.ok);
  return (
    <FormCard
      title="服务评价"
      error={form.formError}
      onSubmit={() => {
        const missing: Record<string, string> = {};
        if (!rating.stars) missing.stars = "请选择1至5星";
        if (commentTooLong) missing.comment = commentTooLong;
        form.submit({ ...lookup, ...rating }, missing);
      }}
    >
      <Field label="满意度" required error={form.errors.stars}>
        <div className="ow-stars" role="radiogroup" aria-label="满意度">
          {[1, 2, 3, 4, 5].map((n) => (
            <button
              key={n}
              type="button"
              role="radio"
              aria-checked={rating.stars === n}
              aria-label={`${n}星`}
              className={rating.stars && n <= rating.stars ? "ow-star ow-star-full" : "ow-star"}
              onClick={() => set("stars", n)}
            >
              ★
            </button>
          ))}
        </div>
      </Field>
      <Field label="不满意的方面（可多选）" error={form.errors.reasons}>
        <div className="ow-row">
          {Object.entries(RATING_REASON_LABELS).map(([value, label]) => (
            <label key={value} className="ow-row" style={{ gap: 4 }}>
              <input
                type="checkbox"
                checked={rating.reasons.includes(value)}
                onChange={(e) => set("reasons", e.target.checked ? [...rating.reasons, value] : rating.reasons.filter((r) => r !== value))}
              />
              {label}
            </label>
          ))}
        </div>
      </Field>
      <Field label="评价内容" error={form.errors.comment ?? commentTooLong}>
        <textarea
          className="ow-input"
          rows={3}
          aria-label="评价内容"
          aria-invalid={Boolean(form.errors.comment ?? commentTooLong)}
          value={rating.comment}
          onChange={(e) => set("comment", e.target.value)}
        />
        <span className="ow-count">
          {textLength(rating.comment)} / {RATING_COMMENT_MAX}
        </span>
      </Field>
      <Field
        label="短信验证码"
        required
        error={form.errors.code}
        note={
          <span className={danger ? "ow-danger" : "ow-muted"} data-testid="code-note">
            {note}
          </span>
        }
      >
        <div className="ow-compact">
          <input
            className="ow-input"
            aria-label="短信验证码"
            aria-invalid={Boolean(form.errors.code)}
            inputMode="numeric"
            autoComplete="one-time-code"
            value={rating.code}
            onChange={(e) => set("code", e.target.value)}
          />
          <button
            type="button"
            className="ow-button"
            disabled={codeFetcher.state !== "idle"}
            onClick={() =>
              codeFetcher.submit(
                { ...lookup, intent: "rating-code" },
                { method: "post", action: "/owner?index", encType: "application/json" },
              )
            }
          >
            {RATING_CODE_BUTTON}
          </button>
        </div>
      </Field>
      <button type="submit" className="ow-button ow-primary" disabled={form.sending}>
        提交评价
      </button>
    </FormCard>
  );
}
