import type { ModalProps } from "antd/es/modal";
import { onDemand } from "./deferred";
import { loadModal } from "./feedback";

// antd's dialog, loaded with the page's messages once it is idle (StaffProviders) or when first
// opened, not with the page: a button's dialog is opened by few of the page's readers (decision 042).

export const Modal = onDemand<ModalProps>(() => loadModal().then((m) => m.default));
