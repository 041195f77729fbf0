"""The text tables the benchmarks print."""


def print_rows(rows: list[tuple[str, ...]]) -> None:
    """``rows`` (the first one a header) in aligned columns, a rule under the header."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for index, row in enumerate(rows):
        print(" | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
        if index == 0:
            print("-+-".join("-" * width for width in widths))
