import Modeler from "bpmn-js/lib/Modeler";
import lintModule from "bpmn-js-bpmnlint";
import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, CamundaPlatformPropertiesProviderModule } from "bpmn-js-properties-panel";
import CamundaBehaviorsModule from "camunda-bpmn-js-behaviors/lib/camunda-platform";
import camundaModdle from "camunda-bpmn-moddle/resources/camunda.json";
import type { ProcessCheckOptions } from "~/shared/process-checks";
import { lacksDrawing, layoutDrawing } from "~/shared/process-layout";
import { fillFlowReferences, lintConfig } from "~/shared/process-lint";
import { PlatformPanelModule, type PlatformChoices } from "./platform-panel.client";
import { translateToChinese } from "./translations";

// The modeler, put together in the browser only (ProcessModeler imports this file with import()):
// bpmn-js with the camunda moddle and behaviours, the properties panel with the platform's group,
// bpmnlint with the recommended rules and the platform's deploy checks, everything in Chinese.

export type { PlatformChoices };

/* eslint-disable @typescript-eslint/no-explicit-any -- bpmn-js's services are untyped */

/**
 * A file that leaves out the flow nodes' <incoming>/<outgoing> (the shipped diagrams, a file
 * written by hand) gets them on import, from its sequence flows: bpmnlint's rules read them, and
 * without them every element of such a file is "not connected". Saved, the file then has them, as
 * Camunda Modeler writes them.
 */
function FlowReferences(eventBus: any, elementRegistry: any) {
  // Before the linter, which lints on import.done at low priority.
  eventBus.on("import.done", 2000, () => {
    fillFlowReferences(elementRegistry.filter((e: any) => e.type === "bpmn:SequenceFlow").map((c: any) => c.businessObject));
  });
}
FlowReferences.$inject = ["eventBus", "elementRegistry"];
const FlowReferencesModule = { __init__: ["flowReferences"], flowReferences: ["type", FlowReferences] };

export function createModeler(canvas: HTMLElement, panel: HTMLElement, choices: PlatformChoices, checks: ProcessCheckOptions): Modeler {
  return new Modeler({
    container: canvas,
    propertiesPanel: { parent: panel },
    linting: { bpmnlint: lintConfig(checks, { recommended: true }), active: true },
    platform: choices,
    moddleExtensions: { camunda: camundaModdle },
    additionalModules: [
      BpmnPropertiesPanelModule,
      BpmnPropertiesProviderModule,
      CamundaPlatformPropertiesProviderModule,
      CamundaBehaviorsModule,
      lintModule,
      PlatformPanelModule,
      FlowReferencesModule,
      { translate: ["value", translateToChinese] },
    ],
  } as ConstructorParameters<typeof Modeler>[0]);
}

/**
 * A file as the modeler can open it: one with no drawing (no BPMNDI, written by hand or by another
 * engine) is laid out by bpmn-auto-layout first; `laidOut` says so, for the page to tell the user.
 */
export async function drawable(xml: string): Promise<{ xml: string; laidOut: boolean }> {
  return lacksDrawing(xml) ? { xml: await layoutDrawing(xml), laidOut: true } : { xml, laidOut: false };
}
