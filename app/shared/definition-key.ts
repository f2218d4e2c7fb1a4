/**
 * A form's or a process's key, as a diagram names a form (camunda:formKey) and as its process id
 * is the process's key: one rule for both, since each is the other's reference.
 */
export const DEFINITION_KEY_PATTERN = /^[a-z][a-z0-9-]{1,62}$/;
