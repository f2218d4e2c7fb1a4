import type { UnitCoverage } from "~/server/claims/coverage.server";
import { partState } from "../coverage-state";

// A home's cover as the owner reads it on the owners' page: who insures it and how to report,
// each coverage part with its period and whether it is in force today, and the claim steps.

export function OwnerCoverage({ coverage, today }: { coverage: UnitCoverage; today: string }) {
  const { project, unit, insurer, policy, parts, hotline, steps } = coverage;
  const phone = insurer.phone ? <a href={`tel:${insurer.phone}`}>{insurer.phone}</a> : null;
  return (
    <section data-testid="coverage">
      <dl className="ow-facts">
        <div>
          <dt>房屋</dt>
          <dd>
            {project.communityName} {unit.label}
          </dd>
        </div>
        <div>
          <dt>承保公司</dt>
          <dd>{insurer.name}</dd>
        </div>
        <div>
          <dt>报案电话</dt>
          <dd>{phone ?? `保险公司未登记，请拨打服务热线 ${hotline}`}</dd>
        </div>
        <div>
          <dt>保单号</dt>
          <dd>{policy?.policyNo ?? "尚未出单"}</dd>
        </div>
      </dl>
      <h3>保险责任</h3>
      {parts.length ? (
        <ul className="ow-list">
          {parts.map((part) => {
            const state = partState(part, today);
            return (
              <li key={part.label}>
                <div className="ow-row">
                  <span>{part.label}</span>
                  <span className={`ow-tag ow-tag-${state.color}`} data-testid="part-state">
                    {state.label}
                  </span>
                </div>
                <div className="ow-muted">
                  {part.years}年：{part.start} 至 {part.end}
                </div>
              </li>
            );
          })}
        </ul>
      ) : (
        <p className="ow-muted">该项目尚未出具保单</p>
      )}
      <h3>理赔流程</h3>
      <ol className="ow-steps">
        {steps.map((s) => (
          <li key={s}>{s}</li>
        ))}
      </ol>
      <h3>如何报案</h3>
      <ul className="ow-steps">
        <li>
          拨打承保公司报案电话{phone ? "：" : ""}
          {phone}
        </li>
        <li>
          拨打平台服务热线：<a href={`tel:${hotline}`}>{hotline}</a>
        </li>
        <li>在本页下方“在线报修与咨询”中报案</li>
      </ul>
    </section>
  );
}
