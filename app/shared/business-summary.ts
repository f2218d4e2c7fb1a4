// What a task or flow page shows about the business object the flow is about (a project; later a
// risk event or a claim), built by the object's type on the server and drawn by one card.

export interface SummaryFile {
  id: string;
  name: string;
  size: number;
}

/** One line of the card: a text, or files shown as links. */
export interface SummaryItem {
  label: string;
  text?: string;
  files?: SummaryFile[];
}

export interface SummarySection {
  title: string;
  items: SummaryItem[];
}

export interface BusinessSummary {
  /** The kind of object, in Chinese (项目). */
  kind: string;
  title: string;
  /** Its own page. */
  href: string;
  status: { label: string; color: string } | null;
  sections: SummarySection[];
}
