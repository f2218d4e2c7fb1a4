import type { ModalProps } from "antd/es/modal";
import { useEffect, useState } from "react";
import { loadModal } from "./feedback";

// antd's dialog, loaded with the page's messages once it is idle (StaffProviders) or when first
// opened, not with the page: a button's dialog is opened by few of the page's readers (decision 042).

type ModalComponent = Awaited<ReturnType<typeof loadModal>>["default"];
let loaded: ModalComponent | null = null;

export function Modal(props: ModalProps) {
  const [Dialog, setDialog] = useState<ModalComponent | null>(() => loaded);
  const wanted = Boolean(props.open) && !Dialog;
  useEffect(() => {
    if (!wanted) return;
    let gone = false;
    void loadModal().then(({ default: m }) => {
      loaded = m;
      if (!gone) setDialog(() => m);
    });
    return () => {
      gone = true;
    };
  }, [wanted]);
  // Never opened yet: nothing to draw (antd's draws nothing either until then).
  return Dialog ? <Dialog {...props} /> : null;
}
