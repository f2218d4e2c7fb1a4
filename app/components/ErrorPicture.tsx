import Result from "antd/es/result";
import { Children, cloneElement, isValidElement, type ReactElement, type ReactNode } from "react";

// antd's pictures of the error pages (403, 404, 500), loaded with the page that shows one
// (ErrorPage): every page has an error boundary, few ever draw it.

const IMAGES = { "403": Result.PRESENTED_IMAGE_403, "404": Result.PRESENTED_IMAGE_404, "500": Result.PRESENTED_IMAGE_500 };
export type PictureStatus = keyof typeof IMAGES;

/**
 * antd's picture for the status, with a Chinese <title> instead of its English one ("Unauthorized",
 * "No Found", "Server Error"): the title is the picture's tooltip and what a screen reader says.
 */
export function ErrorPicture({ status, title }: { status: PictureStatus; title: string }) {
  const svg = (IMAGES[status] as () => ReactElement<{ children?: ReactNode }>)();
  const drawing = Children.toArray(svg.props.children).filter((child) => !(isValidElement(child) && child.type === "title"));
  return cloneElement(svg, { role: "img", "aria-label": title } as object, <title>{title}</title>, ...drawing);
}
