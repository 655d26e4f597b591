using System.CommandLine;
using System.Text;
using Collab.Crdt;

namespace Collab.Cli.Update;

/// <summary>
/// <c>collab update json IN [--v2] [--types name:kind,...]</c>: the document an update builds, as one JSON
/// object of its root types, byte for byte what <c>JSON.stringify</c> prints for the same roots read
/// through yjs (text, map, array: <c>toJSON()</c>; xml: <c>toString()</c>).
/// </summary>
internal static class JsonCommand
{
    public static Command Create(CliIo io)
    {
        var input = UpdateArguments.Input("in", "The update (a whole document or any part of one)");
        var v2 = UpdateArguments.V2();
        var types = new Option<string>("--types")
        {
            Description = $"The roots to print and how to read each, as name:kind,... with kind {DocJson.Kinds} " +
                "(e.g. content:xml,meta:map). Without it every root is printed with its kind inferred from " +
                "its content; a text or array whose content is all deleted then reads as an empty array.",
        };
        var command = new Command("json", "Print the document an update builds as JSON: each root type by name, as yjs' toJSON (xml: toString).")
        {
            input,
            v2,
            types,
        };

        command.SetAction(parseResult =>
        {
            var path = parseResult.GetRequiredValue(input);
            var format = UpdateArguments.Format(parseResult, v2);
            var spec = parseResult.GetValue(types);
            List<(string Name, TypeRef Kind)>? roots = null;
            if (spec is not null && !DocJson.TryParseKinds(spec, out roots, out var error))
            {
                throw new CliException(ExitCodes.Usage, "--types: " + error);
            }

            var update = io.ReadInput(path);
            UpdateArguments.RejectEmptyV1WithTrailingBytes(path, update, format);
            var doc = new Doc();
            try
            {
                doc.ApplyUpdate(update, format);
            }
            catch (YjsFormatException e)
            {
                throw UpdateArguments.BadUpdate(path, format, e);
            }

            if (doc.Store.PendingStructs is not null || doc.Store.PendingDs is not null)
            {
                io.Stderr.WriteLine($"collab: warning: {CliIo.Describe(path)} depends on updates it does not contain; " +
                    "the content that waits for them is not shown. Merge the missing updates in first ('collab update merge').");
            }

            io.WriteOutput(CliIo.StdPath, Encoding.UTF8.GetBytes(DocJson.Stringify(doc, roots) + "\n"));
            return ExitCodes.Ok;
        });

        return command;
    }
}
