import { MiroSdk } from "@/components/miro-sdk";
import { Panel } from "@/components/panel";
import { env } from "@/lib/env";

export const dynamic = "force-dynamic";

// The side panel Miro opens when the toolbar icon is clicked.
export default function PanelPage() {
  return (
    <main style={{ padding: "8px 16px 16px" }}>
      <MiroSdk src={env().MIRO_SDK_URL} fallback={<p className="p-small">Connecting to the board…</p>}>
        <Panel />
      </MiroSdk>
    </main>
  );
}
