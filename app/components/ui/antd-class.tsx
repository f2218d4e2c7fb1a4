import antdTheme from "antd/es/theme";
import { createContext, useContext, type ReactNode } from "react";

// antd's stylesheet scopes each component's rules by the theme's hash class (:where(.css-…)): markup
// drawn with antd's class names but without its scripts (components/ui, the signed-in frame) puts
// that class on its component's outer element, as antd does (decision 042).

const HashClass = createContext("");

/** Gives the theme's hash class to the light components inside (StaffProviders puts it under antd's ConfigProvider). */
export function AntdHashClass({ children }: { children: ReactNode }) {
  const { hashId } = antdTheme.useToken();
  return <HashClass.Provider value={hashId}>{children}</HashClass.Provider>;
}

type Name = string | false | null | undefined;

/** The class names of a component's outer element: antd's names and the theme's hash class. */
export function useAntdClass(...names: Name[]): string {
  return useAntdClasses()(...names);
}

/** For markup with several antd components: names → their class attribute with the theme's hash class. */
export function useAntdClasses(): (...names: Name[]) => string {
  const hash = useContext(HashClass);
  return (...names) => [hash, ...names].filter(Boolean).join(" ");
}
