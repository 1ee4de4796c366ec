"""Vietnamese name parts with weights close to their real frequencies (Thanh Hóa leaning)."""

from __future__ import annotations

#: Family names and their approximate share of the population (per mille).
FAMILY = [
    ("Nguyễn", 330), ("Lê", 140), ("Trần", 90), ("Phạm", 60), ("Hoàng", 45), ("Trịnh", 30),
    ("Vũ", 30), ("Đỗ", 25), ("Bùi", 25), ("Đặng", 20), ("Mai", 20), ("Ngô", 18),
    ("Phan", 15), ("Lương", 15), ("Hồ", 12), ("Đinh", 12), ("Cao", 10), ("Dương", 10),
    ("Tạ", 8), ("Lại", 6), ("Đào", 8), ("Vương", 5), ("Trương", 6), ("Lý", 4), ("Thiều", 3),
    ("Hà", 8), ("Lưu", 5), ("Tống", 4), ("Quách", 3), ("Nhữ", 2),
]
MIDDLE_MALE = [
    ("Văn", 500), ("Đức", 80), ("Minh", 70), ("Hữu", 60), ("Công", 50), ("Quang", 40),
    ("Xuân", 40), ("Ngọc", 30), ("Thanh", 30), ("Đình", 40), ("Trọng", 25), ("Tiến", 15),
    ("Mạnh", 10), ("Bá", 10),
]
MIDDLE_FEMALE = [
    ("Thị", 560), ("Thu", 60), ("Ngọc", 50), ("Thanh", 40), ("Minh", 30), ("Kim", 30),
    ("Hồng", 30), ("Thị Thu", 40), ("Thị Hồng", 25), ("Thị Thanh", 25), ("Phương", 20),
    ("Mai", 15), ("Bích", 15), ("Diệu", 10),
]
GIVEN_MALE = [
    ("Anh", 40), ("Hùng", 35), ("Dũng", 35), ("Tuấn", 35), ("Nam", 30), ("Hải", 30),
    ("Long", 25), ("Minh", 30), ("Sơn", 25), ("Thắng", 25), ("Cường", 25), ("Đức", 20),
    ("Huy", 25), ("Quân", 20), ("Trung", 20), ("Hiếu", 20), ("Phong", 15), ("Tùng", 20),
    ("Việt", 15), ("Khánh", 15), ("Lâm", 10), ("Toàn", 15), ("Bình", 15), ("Thành", 20),
    ("Hoàng", 15), ("Tiến", 15), ("Mạnh", 15), ("Vũ", 10), ("Đạt", 20), ("Lợi", 10),
    ("Quý", 10), ("Tú", 10), ("Hưng", 15), ("Kiên", 10), ("Ánh", 5),
]
GIVEN_FEMALE = [
    ("Linh", 40), ("Hương", 35), ("Lan", 30), ("Hà", 30), ("Trang", 40), ("Huyền", 35),
    ("Thảo", 35), ("Ngọc", 25), ("Mai", 30), ("Hằng", 30), ("Nhung", 25), ("Loan", 20),
    ("Hoa", 25), ("Dung", 20), ("Phương", 25), ("Thủy", 25), ("Yến", 25), ("Nga", 20),
    ("Vân", 20), ("Oanh", 15), ("Hạnh", 20), ("Liên", 15), ("Tuyết", 10), ("Nhàn", 10),
    ("Hiền", 20), ("Thúy", 20), ("Giang", 15), ("Lệ", 10), ("Vy", 10), ("Anh", 25),
    ("Ánh", 10), ("Nguyệt", 10), ("Duyên", 15), ("Quỳnh", 15), ("Chi", 10),
]
