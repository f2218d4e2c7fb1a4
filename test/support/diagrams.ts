/** A small process with `body` between its start and end (start → f1 → task … task → f2 → end). */
export function smallDiagram(body: string, id = "check-demo", processAttributes = 'camunda:candidateStarterGroups="insurer"') {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="defs" targetNamespace="https://idi.kunming/test">
  <bpmn:message id="m1" /><bpmn:message id="m2" name="到账" />
  <bpmn:process id="${id}" name="检查用流程" isExecutable="true" ${processAttributes}>
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="task" />
    ${body}
    <bpmn:sequenceFlow id="f2" sourceRef="task" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;
}
