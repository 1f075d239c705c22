import { HeadlessApp } from "@/components/headless-app";
import { MiroSdk } from "@/components/miro-sdk";
import { env } from "@/lib/env";

export const dynamic = "force-dynamic";

// The Miro "App URL": loaded hidden on every board where Cardbridge is installed.
export default function HeadlessPage() {
  return (
    <MiroSdk src={env().MIRO_SDK_URL}>
      <HeadlessApp />
    </MiroSdk>
  );
}
