import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: "evalbench",
  description: "Evaluation workbench: every run, every question, side by side",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="topbar">
          <Link href="/" className="brand">
            evalbench
          </Link>
          <nav>
            <Link href="/">Runs</Link>
          </nav>
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}
