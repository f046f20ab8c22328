using System.CommandLine;
using Nccid.Batch.Audit;

namespace Nccid.Batch.Cli;

/// <summary>The <c>rules</c> verb: lists the audit rule catalogue.</summary>
internal static class RulesCommand
{
    public static Command Create()
    {
        var markdown = new Option<bool>("--markdown") { Description = "Print docs/audits.md (the catalogue as markdown)." };
        var command = new Command("rules", "List every audit rule: id, category, severity, scope, description, reference.") { markdown };
        command.SetAction(parseResult =>
        {
            if (parseResult.GetValue(markdown))
            {
                Console.Write(AuditsDocument.Render());
                return 0;
            }

            foreach (var rule in AuditChecks.Catalogue())
            {
                Console.WriteLine($"{rule.Id,-40} {rule.Category,-16} {rule.Severity,-8} {rule.Scope,-8} {rule.Description} [{rule.Reference}]");
            }

            return 0;
        });
        return command;
    }
}
