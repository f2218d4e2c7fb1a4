import type { LoaderFunctionArgs } from "@remix-run/node";
import { SectionPage } from "~/components/SectionPage";
import { sectionLoader } from "~/server/http/section.server";

// A function, not a call at module level: the browser bundle must not run server code.
export function loader(args: LoaderFunctionArgs) {
  return sectionLoader(args, "view:projects");
}

export default function Page() {
  return <SectionPage title="项目" empty="暂无项目" />;
}
