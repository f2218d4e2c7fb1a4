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

/**
 * A process looping through one element until the flow's data says `stop`: start → gateway
 * `again` → (`round`) the element `stepId` → (`back`) `again`, and `again` → (`out`, when stop) end.
 */
export function loopDiagram(processId: string, stepId: string, step: string) {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="loop-defs" targetNamespace="https://idi.kunming/test">
  <bpmn:process id="${processId}" name="循环" isExecutable="true" camunda:candidateStarterGroups="insurer">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="again" />
    <bpmn:exclusiveGateway id="again" default="round" />
    <bpmn:sequenceFlow id="round" sourceRef="again" targetRef="${stepId}" />
    ${step}
    <bpmn:sequenceFlow id="back" sourceRef="${stepId}" targetRef="again" />
    <bpmn:sequenceFlow id="out" sourceRef="again" targetRef="end">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">\${environment.variables.stop}</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:endEvent id="end" name="结束" />
  </bpmn:process>
</bpmn:definitions>`;
}
