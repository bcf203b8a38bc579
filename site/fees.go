package site

import (
	"github.com/shopspring/decimal"
)

// checkFee checks that a disclosure adds up: each declared total equals the
// sum of its items, and the fund's opening balance plus income minus
// expense equals its closing balance. Errors are at the declared figure.
func checkFee(path string, fm *parsedFrontMatter, f *Fee) ErrorList {
	var errs ErrorList
	sum := func(items []FeeItem, key string) decimal.Decimal {
		total := decimal.Zero
		for i, it := range items {
			if !it.Amount.Set {
				line, col := fm.keyPos(key, i)
				errs.errorf(path, line, col, "%s item %d (%q) has no amount", key, i+1, it.Item)
			}
			total = total.Add(it.Amount.Value)
		}
		return total
	}
	in, out := sum(f.Income, "income"), sum(f.Expense, "expense")
	check := func(key string, declared Amount, got decimal.Decimal, what string) {
		if !declared.Set {
			line, col := fm.keyPos("title")
			errs.errorf(path, line, col, "%s is required in a fee disclosure (%s: %s)", key, what, Amount{got, true})
			return
		}
		if !declared.Value.Equal(got) {
			line, col := fm.keyPos(key)
			errs.errorf(path, line, col, "%s is %s but %s add up to %s", key, declared, what, Amount{got, true})
		}
	}
	check("total_income", f.TotalIncome, in, "the income items")
	check("total_expense", f.TotalExpense, out, "the expense items")
	if f.Fund.Opening.Set || f.Fund.Closing.Set {
		want := f.Fund.Opening.Value.Add(f.TotalIncome.Value).Sub(f.TotalExpense.Value)
		if !f.Fund.Closing.Value.Equal(want) {
			line, col := fm.keyPos("fund.closing")
			errs.errorf(path, line, col, "fund closing is %s but opening + income − expense is %s", f.Fund.Closing, Amount{want, true})
		}
	}
	if f.Period == "" {
		line, col := fm.keyPos("title")
		errs.errorf(path, line, col, "period is required in a fee disclosure, such as period = %q", "2026-Q3")
	}
	return errs
}
