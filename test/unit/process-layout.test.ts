import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { lacksDrawing, layoutDrawing } from "~/shared/process-layout";

// A .bpmn file with no drawing (no BPMNDI: written by hand or by another engine) is laid out before
// the modeler opens it; one with a drawing is opened as it is.

/** The shipped claim flow without its drawing. */
const claimWithoutDrawing = () =>
  readFileSync("processes/claim.bpmn", "utf8").replace(/<bpmndi:BPMNDiagram[\s\S]*<\/bpmndi:BPMNDiagram>/, "");

describe("a file without a drawing", () => {
  it("is told apart from one with a drawing, whatever its prefixes", () => {
    expect(lacksDrawing(readFileSync("processes/claim.bpmn", "utf8"))).toBe(false);
    expect(lacksDrawing(claimWithoutDrawing())).toBe(true);
    expect(lacksDrawing('<definitions><BPMNDiagram><BPMNPlane><BPMNShape id="a_di"/></BPMNPlane></BPMNDiagram></definitions>')).toBe(false);
  });

  it("is laid out with every step drawn and the process kept", async () => {
    const original = claimWithoutDrawing();
    const drawn = await layoutDrawing(original);
    expect(lacksDrawing(drawn)).toBe(false);
    const nodes = [...original.matchAll(/<bpmn:(?:userTask|serviceTask|exclusiveGateway|startEvent|endEvent) id="([\w-]+)"/g)].map(
      (m) => m[1],
    );
    expect(nodes.length).toBeGreaterThan(10);
    for (const id of nodes) expect(drawn, id).toMatch(new RegExp(`BPMNShape [^>]*bpmnElement="${id}"`));
    // What the platform runs stays: forms, roles, conditions.
    expect(drawn).toContain('camunda:formKey="claim-accept"');
    expect(drawn).toContain("${environment.services.lt(environment.output.recordAcceptance.coveredEstimate,3000)}");
  });
});
