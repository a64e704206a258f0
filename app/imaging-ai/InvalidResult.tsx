/** A result that breaks a rule: says so and why, and shows none of its numbers. */
export function InvalidResult({ problems }: { problems: readonly string[] }) {
  return (
    <div className="iai-invalid" role="alert">
      <p>
        <strong>Invalid result</strong>: not shown, because it does not meet the rules for this kind of result.
      </p>
      <ul>
        {problems.map((p) => (
          <li key={p}>{p}</li>
        ))}
      </ul>
    </div>
  );
}
