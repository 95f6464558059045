import type { Metadata } from "next";
import { AppLink } from "@/components/app-link";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: "evalbench",
  description: "Evaluation workbench: every run, every question, side by side",
  // inline, so the browser asks the server for no favicon
  icons: { icon: "data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'><rect width='16' height='16' rx='3' fill='%232456c7'/></svg>" },
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="topbar">
          <AppLink href="/" className="brand">
            evalbench
          </AppLink>
          <nav>
            <AppLink href="/">Runs</AppLink> <AppLink href="/series">Series</AppLink> <AppLink href="/matrix">Matrix</AppLink> <AppLink href="/launch">Launch</AppLink>
          </nav>
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}
