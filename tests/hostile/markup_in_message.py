# expect: error
# Text that a terminal library could read as markup must be shown as it is, not crash the report.
def train_linear(x, y, weight, bias, lr=0.01, steps=1000):
    print("[bold red]fake[/] [/in] <script>alert(1)</script> \x1b[2J\x1b[31mred")
    raise ValueError("shape [/in] mismatch [link=file:///etc/passwd]click[/link] <b>x</b>")
