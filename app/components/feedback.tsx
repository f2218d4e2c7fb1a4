import type { ArgsProps } from "antd/es/message";
import type { ModalFuncProps } from "antd/es/modal";

// Messages (the toasts of 已保存, 导出失败…) and confirmation dialogs. antd's App would bring its
// messages, notifications and dialogs to every page's first load; they are loaded after it instead
// (StaffProviders asks for them once the page is idle) and shown through antd's static methods,
// which StaffProviders configures with the platform's theme and Chinese (decision 042).

type Level = "success" | "error" | "warning" | "info";

export const loadMessage = () => import("antd/es/message");
export const loadModal = () => import("antd/es/modal");

function say(level: Level, content: ArgsProps["content"]) {
  void loadMessage().then(({ default: message }) => message[level](content));
}

/** What antd's App.useApp() gave: message.success(…) and modal.confirm(…). */
export const feedback = {
  message: {
    success: (content: ArgsProps["content"]) => say("success", content),
    error: (content: ArgsProps["content"]) => say("error", content),
    warning: (content: ArgsProps["content"]) => say("warning", content),
    info: (content: ArgsProps["content"]) => say("info", content),
  },
  modal: {
    confirm: (props: ModalFuncProps) => void loadModal().then(({ default: Modal }) => Modal.confirm(props)),
  },
};

/** The messages and dialogs of a page (a hook, as App.useApp was: a component may later want its context). */
export const useFeedback = () => feedback;
