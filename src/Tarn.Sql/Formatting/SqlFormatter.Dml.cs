using Tarn.Sql.Ast;

namespace Tarn.Sql.Formatting;

public static partial class SqlFormatter
{
    private sealed partial class Writer
    {
        /// <summary>The WITH clause in front of an UPDATE or DELETE, if any.</summary>
        private void DmlWith(NodeList<CommonTableExpression>? with)
        {
            if (with is null || with.IsEmpty)
                return;
            Text("WITH ");
            List(with, Cte);
            Text(' ');
        }
    }
}
