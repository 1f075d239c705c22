export default function HomePage() {
  return (
    <main className="grid" style={{ padding: "48px 24px", maxWidth: 720, margin: "0 auto" }}>
      <div className="cs1 ce12">
        <h1 className="h1">Cardbridge</h1>
        <p className="p-large">
          Keeps Miro app cards in two-way sync with GitHub issues: import issues as cards, turn sticky notes into
          issues, change an issue from its card, and see every change to an issue reach every card linked to it.
        </p>
        <p className="p-medium">
          Install Cardbridge on a Miro team, then open it from the board&apos;s app toolbar. Operators: the health
          check is at <a className="link link-primary" href="/api/health">/api/health</a>.
        </p>
      </div>
    </main>
  );
}
